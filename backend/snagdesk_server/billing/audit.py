"""Billing's audit actions (``core.audit``)."""

from __future__ import annotations

from snagdesk_server.core.audit import audit_action_declare

GROUP_CREATE = audit_action_declare("billing.group.create")
PRODUCT_CREATE = audit_action_declare("billing.product.create")
SERVICE_DELIVER = audit_action_declare("billing.service.deliver")
SERVICE_IMPORT = audit_action_declare("billing.service.import")
SERVICE_PROVISIONING_FAIL = audit_action_declare("billing.service.provisioning_fail")
SERVICE_SUSPEND = audit_action_declare("billing.service.suspend")
SERVICE_UNSUSPEND = audit_action_declare("billing.service.unsuspend")
SERVICE_TERMINATE = audit_action_declare("billing.service.terminate")
SERVICE_EXPIRE = audit_action_declare("billing.service.expire")
INVOICE_ISSUE = audit_action_declare("billing.invoice.issue")
INVOICE_PAY = audit_action_declare("billing.invoice.pay")
WALLET_TOP_UP = audit_action_declare("billing.wallet.top_up")
SERVICE_CHANGE_PRODUCT = audit_action_declare("billing.service.change_product")
SERVICE_REFUND = audit_action_declare("billing.service.refund")
SERVICE_RENAME = audit_action_declare("billing.service.rename")
CREDIT_NOTE_ISSUE = audit_action_declare("billing.credit_note.issue")
CHECKOUT_START = audit_action_declare("billing.checkout.start")
CHECKOUT_COMPLETE = audit_action_declare("billing.checkout.complete")
CHECKOUT_EXPIRE = audit_action_declare("billing.checkout.expire")
CHECKOUT_MISMATCH = audit_action_declare("billing.checkout.mismatch")
PROFILE_UPDATE = audit_action_declare("billing.profile.update")
