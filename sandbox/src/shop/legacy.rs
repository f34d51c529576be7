//! What the legacy `POST /api/orders/state/update` does (seed 002): its own auth (the key in
//! the body), its own success and error shapes.

use shopflow_core::upgates::legacy::{LegacyFailure, LegacyUpdateRequest, LegacyUpdateResponse};
use shopflow_core::upgates::order::{OrderUpdate, OrderUpdateRequest};

use super::orders::Notify;
use super::{Emitted, Shop};

impl Shop {
    /// Applies a legacy request whose key has been checked.
    pub fn legacy_update(
        &mut self,
        req: &LegacyUpdateRequest,
    ) -> (LegacyUpdateResponse, Vec<Emitted>) {
        let mut failures = Vec::new();
        let mut updates = Vec::new();
        for o in &req.orders {
            let number = o.order_number.clone().unwrap_or_default();
            let mut fail = |error: bool, message: String| {
                let mut f = LegacyFailure::default();
                f.order_number = Some(number.clone());
                f.error = error;
                f.message = Some(message);
                failures.push(f);
            };
            if !self.orders.contains(&number) {
                fail(true, "Order with this number doesn't exists.".to_owned());
                continue;
            }
            if let Some(status) = &o.status
                && self.status_by_name(status).is_none()
            {
                fail(true, format!("Order status '{status}' not defined."));
                continue;
            }
            let mut u = OrderUpdate::new(number.clone());
            u.status.clone_from(&o.status);
            u.paid_date = o.paid_date;
            u.resolved_yn = o.resolved_yn;
            u.tracking_code.clone_from(&o.tracking_code);
            for m in &o.metas {
                if m.value.is_none() && m.values.is_empty() {
                    fail(
                        false,
                        format!(
                            "Meta with key '{}' has no option 'value' or 'values'.",
                            m.key.clone().unwrap_or_default()
                        ),
                    );
                } else {
                    u.metas.push(m.clone());
                }
            }
            updates.push(u);
        }
        let notify = Notify { emails: req.send_emails.unwrap_or(true), sms: false };
        let request = OrderUpdateRequest::new(
            shopflow_core::upgates::order::Notify { emails: notify.emails, sms: false },
            updates,
        );
        let (_, emitted) = self.update_orders(&request, notify, "POST /api/orders/state/update");
        let response = if failures.is_empty() {
            LegacyUpdateResponse::Success { success: true }
        } else {
            LegacyUpdateResponse::Failures(failures)
        };
        (response, emitted)
    }
}
