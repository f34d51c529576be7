//! The state changes of an order: status, payment, the flags with their 422 rules (in the
//! `retailys` module docs), parcels and history records.

use shopflow_core::retailys::expandable::Expandable;
use shopflow_core::retailys::order::{OrderModel, Tracking};
use shopflow_core::retailys::requests::{
    HistoryPostRequest, OrderPaidPatchRequest, PaymentResult, TrackingPostRequest,
};

use super::catalog;
use super::store::{Fired, Flag, Happened, HistoryEntry, Refusal, Store, now};

impl Store {
    /// `PATCH …/status`.
    pub fn set_status(&mut self, order_id: i64, status_id: i64) -> Result<Fired, Refusal> {
        let status = catalog::status(status_id)
            .ok_or_else(|| Refusal::Invalid(format!("status_id: no status {status_id}")))?;
        let o = self.order_mut(order_id)?;
        if status.completes() {
            flag(&mut o.model, Flag::Done)?;
        }
        if status.cancels() {
            flag(&mut o.model, Flag::Cancel)?;
        }
        o.status_id = status_id;
        let channel_id = o.model.channel.as_ref().and_then(Expandable::id).unwrap_or(1);
        Ok(Fired { what: Happened::StatusChanged, order_id, channel_id, status_id })
    }

    /// `PATCH …/paid`.
    pub fn set_paid(&mut self, order_id: i64, r: &OrderPaidPatchRequest) -> Result<(), Refusal> {
        let o = &mut self.order_mut(order_id)?.model;
        if matches!(r.status, None | Some(PaymentResult::Success)) {
            o.paid = r.paid;
            o.date_paid = Some(now());
        }
        if r.payment_id.is_some() {
            o.external_payment_id.clone_from(&r.payment_id);
        }
        if r.url.is_some() {
            o.external_payment_url.clone_from(&r.url);
        }
        Ok(())
    }

    /// `PATCH …/done|cancel|sent|delivered`.
    pub fn set_flag(&mut self, order_id: i64, which: Flag) -> Result<(), Refusal> {
        flag(&mut self.order_mut(order_id)?.model, which)
    }

    /// `POST …/tracking`.
    pub fn add_tracking(&mut self, order_id: i64, r: &TrackingPostRequest) -> Result<i64, Refusal> {
        let shipper = r.shipper_id.unwrap_or(0);
        let number = r.tracking_number.clone().unwrap_or_default();
        let url = catalog::tracking_url(shipper, &number)
            .ok_or_else(|| Refusal::Invalid(format!("shipper_id: no shipper {shipper}")))?;
        self.order(order_id)?;
        let id = self.record_id();
        let mut t = Tracking::default();
        (t.shipper_id, t.tracking_number, t.tracking_url) =
            (Some(shipper), Some(number), Some(url));
        self.order_mut(order_id)?.model.trackings.push(t);
        Ok(id)
    }

    /// `POST …/history`.
    pub fn add_history(&mut self, order_id: i64, r: &HistoryPostRequest) -> Result<i64, Refusal> {
        self.order(order_id)?;
        let id = self.record_id();
        let record = r.record.clone().unwrap_or_default();
        let entry = HistoryEntry {
            id,
            kind: r.history_type.as_ref().map(|t| t.as_str().to_owned()),
            name: record.name,
            status: record.status,
            at: now().to_string(),
        };
        self.order_mut(order_id)?.history.push(entry);
        Ok(id)
    }
}

/// Sets a flag if the order's state allows it (the rules of the module docs).
fn flag(o: &mut OrderModel, which: Flag) -> Result<(), Refusal> {
    let is = |f: Option<bool>| f.unwrap_or(false);
    let refuse = |why: &str| Err(Refusal::Conflict(why.to_owned()));
    match which {
        Flag::Sent if is(o.canceled) => refuse("A canceled order cannot be sent."),
        Flag::Done if is(o.canceled) => refuse("A canceled order cannot be done."),
        Flag::Delivered if is(o.canceled) => refuse("A canceled order cannot be delivered."),
        Flag::Delivered if !is(o.sent) => refuse("The order is not sent yet; set sent first."),
        Flag::Cancel if !is(o.canceled) && (is(o.done) || is(o.sent)) => {
            refuse("A done or sent order cannot be canceled.")
        }
        Flag::Sent => set(&mut o.sent),
        Flag::Done => set(&mut o.done),
        Flag::Delivered => set(&mut o.delivered),
        Flag::Cancel => set(&mut o.canceled),
    }
}

fn set(flag: &mut Option<bool>) -> Result<(), Refusal> {
    *flag = Some(true);
    Ok(())
}
