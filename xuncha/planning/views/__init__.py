"""Pages of planning, one module per object family."""
