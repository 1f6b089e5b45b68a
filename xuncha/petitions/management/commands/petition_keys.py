"""Rotation of the internal petition key (docs/adr/0009).

manage.py petition_keys new                         # a new key pair, and what to do with it
manage.py petition_keys status                      # per table: how many values are sealed to which key
manage.py petition_keys rewrap [--batch-size N]     # re-seal what a retired key holds to the current key
manage.py petition_keys rewrap --queue              # the same, on the task queue
"""

import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.core.actors import COMMAND_LINE
from xuncha.core.sealing import (
    SealingUnavailable,
    can_open,
    configured_public_key_id,
    current_key_id,
    feature_key,
    feature_key_pinned,
    generate_key_pair,
    key_id,
    ring_ids,
)
from xuncha.petitions.rotation import BATCH_SIZE, feature_key_check, key_status, rewrap


class Command(BaseCommand):
    help = "信访加密密钥轮换：生成新密钥、查看各密钥下的密文数量、重新封装到当前密钥"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new", "status", "rewrap"])
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="每批重新封装的记录数")
        parser.add_argument("--queue", action="store_true", help="交给任务队列执行（rewrap）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "new":
                self._new()
            elif action == "status":
                self._status()
            elif options["queue"]:
                from xuncha.petitions.tasks import petition_rewrap

                result = petition_rewrap.enqueue(batch_size=options["batch_size"])
                self.stdout.write(self.style.SUCCESS(f"已交任务队列重新封装（任务 {result.id}）。"))
            else:
                self._rewrap(options["batch_size"])
        except SealingUnavailable as exc:
            raise CommandError(str(exc)) from exc

    def _new(self) -> None:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

        private, public = generate_key_pair()
        kid = key_id(X25519PublicKey.from_public_bytes(base64.b64decode(public))).hex()
        out = self.stdout.write
        out("新的信访加密私钥（勿外传，写入 XUNCHA_PETITION_PRIVATE_KEY_FILE 的第一行）：")
        out(private)
        out(f"对应公钥（内网与受理节点的 XUNCHA_PETITION_PUBLIC_KEY）：{public}")
        out(f"密钥标识：{kid}")
        pin = can_open() and not feature_key_pinned()
        if pin:
            out("当前查重特征密钥（勿外传，写入单独文件并以 XUNCHA_PETITION_FEATURE_KEY_FILE 指向它）：")
            out(base64.b64encode(feature_key()).decode())
        steps = [
            "把新私钥作为第一行写入密钥文件，原有各行保留在其后：它们成为已退役密钥，仍能打开旧密文。",
            *(
                [
                    "先配置上面的查重特征密钥文件（权限 600）：此后删除任何旧密钥，查重签名、分段和分类学习数据都保持有效。"
                ]
                if pin
                else []
            ),
            "内网的 XUNCHA_PETITION_PUBLIC_KEY 改为新公钥（或不设），重启内网服务和任务进程。",
            "把新公钥配置到每个受理节点并重启；此前用旧公钥导出的数据包仍可导入，只要旧密钥还在密钥文件中。",
            "运行 manage.py petition_keys rewrap（或加 --queue 交任务队列），把旧密钥下的密文重新封装到新密钥。",
            "运行 manage.py petition_keys status，确认已退役密钥和旧格式的计数都为 0，且再无旧公钥数据包待导入。",
            "然后才从密钥文件中删除旧密钥行，并销毁其备份。",
        ]
        out("步骤：")
        for n, step in enumerate(steps, 1):
            out(f"{n}. {step}")

    def _status(self) -> None:
        out = self.stdout.write
        ids = [k.hex() for k in ring_ids()]
        if not ids:
            raise SealingUnavailable("本节点不持有解密密钥（受理节点），没有密钥文件可查看。")
        current = current_key_id().hex()
        out(f"密钥文件：{len(ids)} 个密钥")
        for n, kid in enumerate(ids, 1):
            out(f"  第 {n} 行 {kid}（{'当前' if kid == current else '已退役'}）")
        configured = configured_public_key_id()
        if configured is not None and configured.hex() != current:
            where = "已退役密钥" if configured.hex() in ids else "不在密钥文件中的密钥"
            out(
                self.style.WARNING(
                    f"XUNCHA_PETITION_PUBLIC_KEY 是{where}（{configured.hex()}），不是当前密钥：请改为当前公钥。"
                )
            )
        if feature_key_pinned():
            out("查重特征密钥：取自 XUNCHA_PETITION_FEATURE_KEY_FILE，不随密钥轮换变化。")
        else:
            out("查重特征密钥：由密钥文件最后一行（最早的密钥）派生。")
            if len(ids) > 1:
                out(
                    self.style.WARNING(
                        "删除最后一行之前，必须先用 petition_keys new 给出的值配置 XUNCHA_PETITION_FEATURE_KEY_FILE。"
                    )
                )
        checked, matching = feature_key_check()
        if checked and matching < checked:
            out(self.style.ERROR(
                f"查重特征抽查：{checked} 件中 {checked - matching} 件与已存签名不一致——查重特征密钥已改变，请恢复原密钥配置。"
            ))  # fmt: skip
        elif checked:
            out(f"查重特征抽查：{checked} 件与已存签名一致。")
        pending = 0
        for status in key_status():
            parts = [f"{'当前' if kid == current else '已退役' if kid in ids else '不在密钥文件中'} {kid} {n} 个"
                     for kid, n in sorted(status.by_key.items())]  # fmt: skip
            if status.unnamed:
                parts.append(f"旧格式（无密钥标识）{status.unnamed} 个")
            if status.unknown:
                parts.append(f"无法识别 {status.unknown} 个")
            pending += status.total - status.by_key.get(current, 0)
            out(f"{status.column.label}：" + ("；".join(parts) if parts else "无"))
        if pending:
            out(self.style.WARNING(f"尚有 {pending} 个密文未封装到当前密钥：请运行 petition_keys rewrap。"))
        else:
            out(self.style.SUCCESS("全部密文都已封装到当前密钥。"))

    def _rewrap(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size 应为正整数。")
        result = rewrap(batch_size=batch_size, actor=COMMAND_LINE)
        total = sum(result.rewrapped.values())
        if total:
            counts = "、".join(f"{label} {n} 个" for label, n in result.rewrapped.items())
            self.stdout.write(
                self.style.SUCCESS(f"已重新封装到当前密钥 {result.key_id}：{counts}（{result.batches} 批）。")
            )
        else:
            self.stdout.write("没有需要重新封装的密文。")
        if result.unreadable:
            counts = "、".join(f"{label} {n} 个" for label, n in result.unreadable.items())
            self.stdout.write(
                self.style.ERROR(
                    f"无法用密钥文件中的任何密钥打开，未处理：{counts}。请核对是否删除了仍在使用的旧密钥。"
                )
            )
