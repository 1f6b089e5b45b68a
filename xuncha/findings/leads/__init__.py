"""Problem leads (问题线索): registration, decision, transfer, the receiver's inbox and report back."""
