//! The HTTP request an operation (`listOrders`, `updateOrders`, …) is, built and checked by
//! the core (validation first; an invalid request never becomes one).

use serde::Deserialize;
use shopflow_core::http::RequestSpec;
use shopflow_core::upgates::api::{OrderStatusQuery, UpgatesApi};
use shopflow_core::upgates::auth::Credentials;
use shopflow_core::upgates::base_url::{AllowLocal, BaseUrl};
use shopflow_core::upgates::customer::{
    CustomerDeleteQuery, CustomerListQuery, CustomerWriteMode, CustomersWriteRequest,
};
use shopflow_core::upgates::order::{
    HistoryAddRequest, OrderCreateRequest, OrderDeleteQuery, OrderListQuery, OrderUpdateRequest,
};
use shopflow_core::upgates::order_status::{OrderStatusType, OrderStatusWrite};
use shopflow_core::upgates::webhook::{WebhookCreate, WebhookUpdate};
use shopflow_core::validation::At;

use crate::envelope::{ErrorInfo, problem};

/// How to log in to the shop (its base URL is the session's: it changes when the shop moves).
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) login: String,
    pub(crate) api_key: String,
    pub(crate) allow_local: bool,
}

impl Config {
    pub(crate) fn allow(&self) -> AllowLocal {
        if self.allow_local { AllowLocal::Yes } else { AllowLocal::No }
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Key {
    #[serde(default)]
    order_number: String,
    #[serde(default)]
    external_order_number: String,
    #[serde(default)]
    id: Option<u64>,
    #[serde(default, rename = "type")]
    status_type: Option<String>,
    #[serde(default)]
    ids: Vec<u64>,
}

/// The arguments of an operation, read from JSON text (empty text is no arguments). Not
/// inlined: each operation's reading stays a function of its own, so the first call of an
/// operation compiles its own code, not every operation's (see `kinds::normalized`).
#[inline(never)]
pub(crate) fn args<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, ErrorInfo> {
    shopflow_core::json::from_str(if json.trim().is_empty() { "{}" } else { json })
        .map_err(ErrorInfo::from)
}

/// Refuses an order write that does not say whether customers are e-mailed and texted.
///
/// The API sends both when the flags are missing, and the core reads a missing flag the way
/// the API does (true); so at this boundary, where requests are made rather than read, a
/// missing flag is an error instead of a silent e-mail. The package always sets them.
fn explicit_notify(json: &str) -> Result<(), ErrorInfo> {
    #[derive(Deserialize)]
    struct Flags {
        send_emails_yn: Option<serde::de::IgnoredAny>,
        send_sms_yn: Option<serde::de::IgnoredAny>,
    }
    let flags: Flags = args(json)?;
    let missing = [
        ("send_emails_yn", flags.send_emails_yn.is_none()),
        ("send_sms_yn", flags.send_sms_yn.is_none()),
    ];
    let problems: Vec<_> = missing
        .into_iter()
        .filter(|(_, missing)| *missing)
        .map(|(field, _)| {
            At::root().field(field).problem(
                "an explicit true or false (the API notifies customers when it is missing)",
                "nothing",
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(shopflow_core::validation::Problems(problems).into())
    }
}

/// The API of the shop at `base` with the login `c`, or a `VALIDATION` error naming `baseUrl`.
pub(crate) fn api_of(c: &Config, base: &str) -> Result<UpgatesApi, ErrorInfo> {
    let base = BaseUrl::parse(base, c.allow()).map_err(|e| base_url_problem(&e))?;
    Ok(UpgatesApi::new(base, Credentials::new(c.login.clone(), c.api_key.clone())))
}

/// A base URL the platform refuses, as a problem naming `baseUrl` (credentials redacted).
/// A loopback URL refused only for want of `allowLocal` says so.
pub(crate) fn base_url_problem(e: &shopflow_core::base_url::BaseUrlError) -> ErrorInfo {
    let expected = if e.local_refused {
        format!(
            "{}; a loopback URL (the local sandbox) needs the option allowLocal: true",
            e.expected
        )
    } else {
        e.expected.clone()
    };
    problem(At::root().field("baseUrl").problem(expected, e.shown.clone()))
}

/// The request operation `op` with JSON arguments `json` is, at the shop at `base` with the
/// login `c`: built and validated by the core.
pub(crate) fn build_spec(
    c: &Config,
    base: &str,
    op: &str,
    json: &str,
) -> Result<RequestSpec, ErrorInfo> {
    let api = api_of(c, base)?;
    let spec = match op {
        "listOrders" => api.list_orders(&args::<OrderListQuery>(json)?)?,
        "getOrder" => api.get_order(&args::<Key>(json)?.order_number)?,
        "findByExternalNumber" => {
            api.find_by_external_number(&args::<Key>(json)?.external_order_number)?
        }
        "createOrders" => {
            explicit_notify(json)?;
            api.create_orders(&args::<OrderCreateRequest>(json)?)?
        }
        "updateOrders" => {
            explicit_notify(json)?;
            api.update_orders(&args::<OrderUpdateRequest>(json)?)?
        }
        "deleteOrders" => api.delete_orders(&args::<OrderDeleteQuery>(json)?)?,
        "orderPdf" => api.order_pdf(&args::<Key>(json)?.order_number)?,
        "orderHistory" => api.order_history(&args::<Key>(json)?.order_number)?,
        "addOrderHistory" => {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Add {
                order_number: String,
                #[serde(flatten)]
                request: HistoryAddRequest,
            }
            let a: Add = args(json)?;
            api.add_order_history(&a.order_number, &a.request)?
        }
        "listOrderStatuses" => {
            let k: Key = args(json)?;
            let mut q = OrderStatusQuery::default();
            q.id = k.id;
            q.status_type = k.status_type.as_deref().map(OrderStatusType::from);
            api.list_order_statuses(&q)
        }
        "writeOrderStatus" => api.write_order_status(&args::<OrderStatusWrite>(json)?)?,
        "deleteOrderStatus" => api.delete_order_status(args::<Key>(json)?.id.unwrap_or_default()),
        "listCustomers" => api.list_customers(&args::<CustomerListQuery>(json)?)?,
        "createCustomers" | "updateCustomers" => {
            let mut req: CustomersWriteRequest = args(json)?;
            req.mode = if op == "createCustomers" {
                CustomerWriteMode::Create
            } else {
                CustomerWriteMode::Update
            };
            api.write_customers(&req)?
        }
        "deleteCustomers" => api.delete_customers(&args::<CustomerDeleteQuery>(json)?)?,
        "listWebhooks" => api.list_webhooks(args::<Key>(json)?.id),
        "createWebhook" => api.create_webhook(&args::<WebhookCreate>(json)?)?,
        "updateWebhook" => api.update_webhook(&args::<WebhookUpdate>(json)?)?,
        "deleteWebhooks" => api.delete_webhooks(&args::<Key>(json)?.ids)?,
        "webhookEvents" => api.webhook_events(),
        "apiStatus" => api.api_status(),
        other => return Err(ErrorInfo::new("VALIDATION", format!("unknown operation {other:?}"))),
    };
    Ok(spec)
}
