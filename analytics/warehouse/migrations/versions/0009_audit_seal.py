"""audit records carry a seal: an HMAC of the record hash under the audit key

Revision ID: 0009_audit_seal
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_seal"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_records") as batch:
        batch.add_column(sa.Column("seal", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_records") as batch:
        batch.drop_column("seal")
