//! TypeScript shapes of the types whose JSON is written by hand rather than derived
//! (`--features ts`, used by `--example export-ts` for the npm package's `models.d.ts`).

use ts_rs::{Config, TS, TypeVisitor};

use crate::date::ApiDate;
use crate::decimal::Decimal;
use crate::secret::Secret;
use crate::upgates::legacy::{LegacyFailure, LegacyUpdateResponse};
use crate::upgates::order::update::PaidDate;
use crate::upgates::php_datetime::{DateOrPhp, PhpDateTime};
use crate::upgates::webhook::event::WebhookEvent;

macro_rules! inline_ts {
    ($($t:ty => $ts:expr $(, depends [$($dep:ty),+])?;)*) => { $(
        impl TS for $t {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &Config) -> String {
                $ts.to_owned()
            }
            fn inline(cfg: &Config) -> String {
                Self::name(cfg)
            }
            $(fn visit_dependencies(v: &mut impl TypeVisitor) {
                $( v.visit::<$dep>(); )+
            })?
        }
    )* };
}

inline_ts! {
    // Exact decimals travel as JSON numbers (168.6 stays 168.6).
    Decimal => "number";
    // ISO 8601: `2017-06-05`, `2024-02-29T14:24:49+01:00`.
    ApiDate => "string";
    Secret => "string";
    // A date, or "" to mark an order unpaid.
    PaidDate => "string";
    // `Entity.action`, like `Orders.create`.
    WebhookEvent => "string";
    DateOrPhp => "string | PhpDateTime", depends [PhpDateTime];
    LegacyUpdateResponse => "{ success: boolean } | Array<LegacyFailure>", depends [LegacyFailure];
}
