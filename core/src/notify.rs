//! Whether a write tells the shop to notify the customer.

use serde::{Deserialize, Serialize};

/// Whether the shop notifies the customer about this write.
///
/// The Upgates API sends the e-mails and SMS configured on a status whenever a write sets a
/// status, unless told not to: both flags default to *true* on the server. Every request
/// shopflow builds states them explicitly; [`Notify::NONE`] is what rules use unless they
/// opt in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Notify {
    /// Send the status e-mail.
    pub emails: bool,
    /// Send the status SMS.
    pub sms: bool,
}

impl Notify {
    /// No e-mail, no SMS.
    pub const NONE: Notify = Notify { emails: false, sms: false };
    /// E-mail and SMS, as configured on the status.
    pub const CUSTOMER: Notify = Notify { emails: true, sms: true };
    /// E-mail only.
    pub const EMAIL_ONLY: Notify = Notify { emails: true, sms: false };

    /// Either one's wish: a merged write notifies if any of its parts asked to.
    #[must_use]
    pub fn or(self, other: Notify) -> Notify {
        Notify { emails: self.emails || other.emails, sms: self.sms || other.sms }
    }

    /// Whether nothing is sent.
    #[must_use]
    pub fn is_none(self) -> bool {
        !self.emails && !self.sms
    }
}
