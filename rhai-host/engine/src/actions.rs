//! The action functions rules call (`set_status(order, "Vyřizuje se")`, ...).
//!
//! Each call checks its arguments with the core's [`Action::check`] and records the action for
//! the run; nothing is sent from here. An invalid argument is a script error at the call's
//! line and column, and a failed run hands back no actions at all. Every action that can make
//! the shop write to the customer takes an optional last argument, `#{notify: true}` (or
//! `#{email: true, sms: false}`); without it the customer is not notified. Only Upgates lets
//! a write say so: Retailys has no control over its e-mails (spec §5).

use std::sync::{Arc, Mutex, MutexGuard};

use rhai::{Dynamic, Engine, EvalAltResult, Map};
use shopflow_core::automation::{Action, StatusRef};
use shopflow_core::date::ApiDate;
use shopflow_core::notify::Notify;

use crate::error::{ACTION_ERROR, TOO_MANY_ACTIONS};
use crate::views::{CustomerView, OrderView};

/// An action function as rules call it: what the package README's rule vocabulary shows
/// ([`crate::vocabulary`]). The registrations below are its code; a test holds the two to the
/// same names, arities and record types.
#[derive(Debug)]
pub(crate) struct ActionSpec {
    /// The function's name.
    pub name: &'static str,
    /// Its parameters, the record first (`order` or `customer`); `name?` may be left out.
    pub params: &'static [&'static str],
    /// Whether it takes the options map last ([`NOTIFY_OPTIONS`]).
    pub options: bool,
    /// What it asks for.
    pub about: &'static str,
}

/// Every action function, in the order the vocabulary lists them.
pub(crate) const ACTIONS: [ActionSpec; 13] = [
    ActionSpec {
        name: "set_status",
        params: &["order", "status"],
        options: true,
        about: "Sets the order's status: a name as the shop shows it (any case) or an id.",
    },
    ActionSpec {
        name: "mark_paid",
        params: &["order", "date?"],
        options: true,
        about: "Marks the order paid on `date` (`2026-05-01`; default: the day it is applied).",
    },
    ActionSpec {
        name: "mark_resolved",
        params: &["order"],
        options: false,
        about: "Marks the order resolved.",
    },
    ActionSpec {
        name: "set_tracking",
        params: &["order", "code", "carrier?"],
        options: true,
        about: "Sets the shipment's tracking code. Upgates keeps one code and no carrier; \
                Retailys keeps one per carrier: the one named (as the shop lists its carriers), \
                else the order's.",
    },
    ActionSpec {
        name: "cancel",
        params: &["order"],
        options: true,
        about: "Cancels the order: Upgates sets the shop's status of type Canceled, Retailys its \
                canceled flag (which has no undo).",
    },
    ActionSpec {
        name: "mark_sent",
        params: &["order"],
        options: true,
        about: "Marks the order sent: Upgates sets the shop's status of type Sent, Retailys its \
                sent flag.",
    },
    ActionSpec {
        name: "mark_delivered",
        params: &["order"],
        options: false,
        about: "Marks the order delivered (Retailys' delivered flag).",
    },
    ActionSpec {
        name: "add_history",
        params: &["order", "name", "value"],
        options: false,
        about: "Adds a record to the order's history (`value`: text or a number), once: a \
                record known to be there already is not added again.",
    },
    ActionSpec {
        name: "set_internal_note",
        params: &["order", "text"],
        options: false,
        about: "Replaces the order's internal note.",
    },
    ActionSpec {
        name: "set_meta",
        params: &["order", "key", "value"],
        options: false,
        about: "Sets a custom field of the order (`value`: text or a number).",
    },
    ActionSpec {
        name: "generate_invoice",
        params: &["order"],
        options: true,
        about: "Issues the order's invoice (an order with an invoice number is left alone).",
    },
    ActionSpec {
        name: "set_customer_note",
        params: &["customer", "text"],
        options: false,
        about: "Replaces the customer's note.",
    },
    ActionSpec {
        name: "set_customer_meta",
        params: &["customer", "key", "value"],
        options: false,
        about: "Sets a custom field of the customer (`value`: text or a number).",
    },
];

/// The keys of an action's options map, each with whom it tells (all `true` or `false`).
pub(crate) const NOTIFY_OPTIONS: [(&str, &str); 3] = [
    ("notify", "the customer by e-mail and SMS"),
    ("email", "the customer by e-mail"),
    ("sms", "the customer by SMS"),
];

/// What the options map does on each platform: Retailys' writes carry no notify flag.
pub(crate) const NOTIFY_PLATFORMS: &str = "Without options the customer is not told. Only \
    Upgates lets a write say whom to tell; Retailys' requests carry no such flag, so there the \
    options are not passed on (whether Retailys e-mails on these changes is not documented).";

/// What one run has produced so far.
#[derive(Debug, Default)]
pub(crate) struct RunState {
    pub actions: Vec<Action>,
    pub logs: Vec<String>,
    pub log_bytes: usize,
    /// Set when `print`/`debug` went past the budget; the progress callback stops the run.
    pub output_over: bool,
    pub max_actions: usize,
    pub max_log_lines: usize,
    pub max_log_bytes: usize,
}

impl RunState {
    /// Keeps a log line within the budget; past it the run is marked to stop.
    pub fn log(&mut self, line: String) {
        self.log_bytes = self.log_bytes.saturating_add(line.len());
        if self.log_bytes > self.max_log_bytes || self.logs.len() >= self.max_log_lines {
            self.output_over = true;
        } else {
            self.logs.push(line);
        }
    }
}

pub(crate) type Shared = Arc<Mutex<RunState>>;

/// The state, even if a previous holder panicked (its data is still consistent: every
/// change is a single push).
pub(crate) fn lock(state: &Shared) -> MutexGuard<'_, RunState> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

type Res = Result<(), Box<EvalAltResult>>;

fn invalid(name: &str, why: impl std::fmt::Display) -> Box<EvalAltResult> {
    format!("{ACTION_ERROR}{name}: {why}").into()
}

/// Records `action` after checking it.
fn record(state: &Shared, action: Action) -> Res {
    if let Err(why) = action.check() {
        return Err(invalid(action.name(), why));
    }
    let mut s = lock(state);
    if s.actions.len() >= s.max_actions {
        return Err(format!(
            "{TOO_MANY_ACTIONS}a run may ask for at most {} actions",
            s.max_actions
        )
        .into());
    }
    s.actions.push(action);
    Ok(())
}

/// The options map of an action: `notify` (both), `email`, `sms`.
fn notify(name: &str, options: &Map) -> Result<Notify, Box<EvalAltResult>> {
    let mut n = Notify::NONE;
    for (key, value) in options {
        let flag = value.as_bool().map_err(|got| {
            invalid(name, format!("option {key} must be true or false, not {got}"))
        })?;
        match key.as_str() {
            "notify" => n = Notify { emails: flag, sms: flag },
            "email" | "emails" => n.emails = flag,
            "sms" => n.sms = flag,
            other => {
                let keys: Vec<&str> = NOTIFY_OPTIONS.iter().map(|(k, _)| *k).collect();
                return Err(invalid(
                    name,
                    format!("unknown option {other:?} (options: {})", keys.join(", ")),
                ));
            }
        }
    }
    Ok(n)
}

/// A value for a custom field or history record: text, a number, a decimal or a bool.
fn scalar(name: &str, what: &str, value: &Dynamic) -> Result<String, Box<EvalAltResult>> {
    if value.is_string()
        || value.is_int()
        || value.is_decimal()
        || value.is_bool()
        || value.is_char()
    {
        Ok(value.to_string())
    } else {
        Err(invalid(name, format!("{what} must be text or a number, not {}", value.type_name())))
    }
}

fn status_ref(name: &str, status: &Dynamic) -> Result<StatusRef, Box<EvalAltResult>> {
    if let Ok(id) = status.as_int() {
        return u64::try_from(id)
            .map(StatusRef::Id)
            .map_err(|_| invalid(name, format!("a status id must be positive, not {id}")));
    }
    match status.clone().into_string() {
        Ok(text) => Ok(StatusRef::Name(text)),
        Err(got) => Err(invalid(name, format!("the status must be a name or an id, not {got}"))),
    }
}

fn paid_date(text: &str) -> Result<ApiDate, Box<EvalAltResult>> {
    text.parse::<ApiDate>().map_err(|_| {
        invalid("mark_paid", format!("the date must look like 2026-05-01, not {text:?}"))
    })
}

/// `set_tracking(order, code)`, `set_tracking(order, code, carrier)`, each with an optional
/// options map last.
fn register_tracking(engine: &mut Engine, state: &Shared) {
    let s = Arc::clone(state);
    let set_tracking = move |o: OrderView, code: &str, carrier: Option<&str>, n: Notify| -> Res {
        let (order, code) = (o.0.number.clone(), code.to_owned());
        let carrier = carrier.map(str::to_owned);
        record(&s, Action::SetTracking { order, code, carrier, notify: n })
    };
    let (f1, f2, f3) = (set_tracking.clone(), set_tracking.clone(), set_tracking.clone());
    engine.register_fn("set_tracking", move |o: OrderView, code: &str| {
        f1(o, code, None, Notify::NONE)
    });
    engine.register_fn("set_tracking", move |o: OrderView, code: &str, opt: Map| {
        f2(o, code, None, notify("set_tracking", &opt)?)
    });
    engine.register_fn("set_tracking", move |o: OrderView, code: &str, carrier: &str| {
        f3(o, code, Some(carrier), Notify::NONE)
    });
    engine.register_fn("set_tracking", move |o: OrderView, code: &str, carrier: &str, opt: Map| {
        set_tracking(o, code, Some(carrier), notify("set_tracking", &opt)?)
    });
}

/// `cancel(order)` and `mark_sent(order)`, each with an optional options map, and
/// `mark_delivered(order)`.
fn register_flags(engine: &mut Engine, state: &Shared) {
    type Make = fn(String, Notify) -> Action;
    let with_notify: [(&str, Make); 2] = [
        ("cancel", |order, notify| Action::Cancel { order, notify }),
        ("mark_sent", |order, notify| Action::MarkSent { order, notify }),
    ];
    for (name, make) in with_notify {
        let s = Arc::clone(state);
        engine.register_fn(name, move |o: OrderView| {
            record(&s, make(o.0.number.clone(), Notify::NONE))
        });
        let s = Arc::clone(state);
        engine.register_fn(name, move |o: OrderView, opt: Map| {
            record(&s, make(o.0.number.clone(), notify(name, &opt)?))
        });
    }
    let s = Arc::clone(state);
    engine.register_fn("mark_delivered", move |o: OrderView| {
        record(&s, Action::MarkDelivered { order: o.0.number.clone() })
    });
}

/// Registers every action function.
pub(crate) fn register(engine: &mut Engine, state: &Shared) {
    let s = Arc::clone(state);
    let set_status = move |o: OrderView, status: Dynamic, n: Notify| -> Res {
        let status = status_ref("set_status", &status)?;
        record(&s, Action::SetStatus { order: o.0.number.clone(), status, notify: n })
    };
    let f = set_status.clone();
    engine.register_fn("set_status", move |o: OrderView, st: Dynamic| f(o, st, Notify::NONE));
    engine.register_fn("set_status", move |o: OrderView, st: Dynamic, opt: Map| {
        set_status(o, st, notify("set_status", &opt)?)
    });

    let s = Arc::clone(state);
    let mark_paid = move |o: OrderView, date: Option<ApiDate>, n: Notify| -> Res {
        record(&s, Action::MarkPaid { order: o.0.number.clone(), date, notify: n })
    };
    let (f1, f2, f3) = (mark_paid.clone(), mark_paid.clone(), mark_paid.clone());
    engine.register_fn("mark_paid", move |o: OrderView| f1(o, None, Notify::NONE));
    engine.register_fn("mark_paid", move |o: OrderView, d: &str| {
        f2(o, Some(paid_date(d)?), Notify::NONE)
    });
    engine.register_fn("mark_paid", move |o: OrderView, opt: Map| {
        f3(o, None, notify("mark_paid", &opt)?)
    });
    engine.register_fn("mark_paid", move |o: OrderView, d: &str, opt: Map| {
        mark_paid(o, Some(paid_date(d)?), notify("mark_paid", &opt)?)
    });

    let s = Arc::clone(state);
    engine.register_fn("mark_resolved", move |o: OrderView| {
        record(&s, Action::MarkResolved { order: o.0.number.clone() })
    });

    register_tracking(engine, state);
    register_flags(engine, state);

    let s = Arc::clone(state);
    engine.register_fn("add_history", move |o: OrderView, name: &str, value: Dynamic| {
        let value = scalar("add_history", "the value", &value)?;
        record(&s, Action::AddHistory { order: o.0.number.clone(), name: name.to_owned(), value })
    });

    let s = Arc::clone(state);
    engine.register_fn("set_internal_note", move |o: OrderView, text: &str| {
        record(&s, Action::SetInternalNote { order: o.0.number.clone(), text: text.to_owned() })
    });

    let s = Arc::clone(state);
    engine.register_fn("set_meta", move |o: OrderView, key: &str, value: Dynamic| {
        let value = scalar("set_meta", "the value", &value)?;
        record(&s, Action::SetMeta { order: o.0.number.clone(), key: key.to_owned(), value })
    });

    let s = Arc::clone(state);
    let generate_invoice = move |o: OrderView, n: Notify| -> Res {
        record(&s, Action::GenerateInvoice { order: o.0.number.clone(), notify: n })
    };
    let f = generate_invoice.clone();
    engine.register_fn("generate_invoice", move |o: OrderView| f(o, Notify::NONE));
    engine.register_fn("generate_invoice", move |o: OrderView, opt: Map| {
        generate_invoice(o, notify("generate_invoice", &opt)?)
    });

    let s = Arc::clone(state);
    engine.register_fn("set_customer_note", move |c: CustomerView, text: &str| {
        record(&s, Action::SetCustomerNote { customer: c.0.id, text: text.to_owned() })
    });
    let s = Arc::clone(state);
    engine.register_fn("set_customer_meta", move |c: CustomerView, key: &str, value: Dynamic| {
        let value = scalar("set_customer_meta", "the value", &value)?;
        record(&s, Action::SetCustomerMeta { customer: c.0.id, key: key.to_owned(), value })
    });
}
