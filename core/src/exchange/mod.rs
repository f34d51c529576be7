//! The exchange: the one loop every client runs, as a machine without IO.
//!
//! A client (reqwest natively, gloo-net in WebAssembly) sends what the machine says to send
//! and reports what came back; the machine decides everything else: whether the rate budget
//! admits a request now, whether it fits the per-second pace (Retailys: at most 100 sends a
//! second), whether a free slot exists (at most three requests in flight per shop), what an
//! answer means, whether to wait and retry, follow a relocation, look a create up before
//! resending it, or stop. It never reads a clock or sleeps: the caller passes `now` and a
//! random `jitter` with every event.
//!
//! ```text
//!   driver                         Session (one per shop and credentials)
//!   ------                         --------------------------------------
//!   call = Call::new(spec)         budget, pace, slots in flight, base URL, refused credentials
//!   loop match call.poll(&mut s, now, jitter) {
//!     Step::Send(spec)     => send it; call.answered(&mut s, status, headers, body, now, jitter)
//!                             or call.no_answer(&mut s, why, now, jitter)
//!     Step::Wait(until)    => sleep until then (a backoff, a Retry-After, the budget, the pace)
//!     Step::Blocked        => wait until any request of the session finishes
//!     Step::Done(answer)   => parse answer.body
//!     Step::Failed(error)  => return error
//!   }
//! ```
//!
//! A 401 or 403 locks the session: every call after it fails at once without sending,
//! until the caller [`Session::reset_credentials`]. Five refused logins in an hour lock an
//! Upgates API user for an hour, for every integration of the shop; one client never sends
//! the second.
//!
//! [`write::BatchWrite`] runs a write of many items as chunks of at most 100, each chunk a
//! [`Call`]: every chunk validated before any is sent, per-item results reconciled, and no
//! chunk sent after a fatal answer.
//!
//! The platform enters through [`Wire`]: how a response reads (outcome, budget, typed error),
//! where a shop may move to, how a create is looked up. Upgates implements it in
//! `upgates::wire`, Retailys in `retailys::wire`.

mod call;
mod error;
mod session;
mod wire;
pub mod write;

#[cfg(test)]
mod tests;

pub use call::{Answer, Call, Step};
pub use error::{CallError, PlatformError};
pub use session::{ExchangeConfig, PACING_WINDOW, Session};
pub use wire::{Found, Reading, Wire};
