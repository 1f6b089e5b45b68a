"""Where the demo and the tests keep the keys they generate when no key file is configured.

Not in var/ (the database, the sealed files, the logs) but in a directory of their own (`KEY_DIR`,
mode 0700), so that a copy or a backup of the data directory never carries the keys that open it.
Production names every key file itself (README: "密钥"); nothing is generated there.
"""

import shutil
from pathlib import Path

from django.conf import settings


def local_key_path(name: str) -> Path:
    """The generated key `name` under KEY_DIR; a key an older checkout made in var/ is moved there first."""
    key_dir = Path(settings.KEY_DIR)
    path = key_dir / name
    if not path.exists():
        for legacy in (Path(settings.VAR_DIR) / name, Path(settings.VAR_DIR) / "keys" / name):
            if legacy.exists():
                key_dir.mkdir(parents=True, exist_ok=True)
                key_dir.chmod(0o700)
                shutil.move(legacy, path)
                break
    return path
