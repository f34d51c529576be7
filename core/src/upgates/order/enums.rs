//! The vocabularies of orders: shipment and payment types, origins, line types.
//!
//! Each is an open enum: values the documentation lists are variants, anything else (a
//! shipment type `wedo` that no filter mentions) is kept as `Other`.

use crate::open_enum;

open_enum! {
    /// A carrier type (`shipment.type`, and the `shipment_type` filter).
    pub enum ShipmentType {
        /// Česká pošta.
        CeskaPosta = "ceskaPosta",
        /// Slovenská pošta.
        SlovenskaPosta = "slovenskaPosta",
        /// Uloženka.
        Ulozenka = "ulozenka",
        /// Zásilkovna (Packeta).
        Zasilkovna = "zasilkovna",
        /// DPD.
        Dpd = "dpd",
        /// PPL.
        Ppl = "ppl",
        /// GLS.
        Gls = "gls",
        /// The shop's own delivery.
        Custom = "custom",
    }
}

open_enum! {
    /// A payment type (`payment.type`, and the `payment_type` filter).
    pub enum PaymentType {
        /// Cash.
        Cash = "cash",
        /// Cash on delivery (*dobírka*).
        CashOnDelivery = "cashOnDelivery",
        /// Bank transfer.
        Command = "command",
        /// Skrill.
        Moneybookers = "moneybookers",
        /// PayPal.
        Paypal = "paypal",
        /// Stripe.
        Stripe = "stripe",
        /// PayU.
        Payu = "payu",
        /// Home Credit.
        Homecredit = "homecredit",
        /// TatraPay.
        Tatrapay = "tatrapay",
        /// Tatra CardPay.
        Tatracardpay = "tatracardpay",
        /// ComGate.
        Comgate = "comgate",
        /// Hello bank (old documentation only).
        Cetelem = "cetelem",
        /// GoPay.
        Gopay = "gopay",
        /// Fio.
        Fio = "fio",
        /// GP webpay.
        Gpwebpay = "gpwebpay",
        /// Cofidis.
        Cofidis = "cofidis",
        /// Essox.
        Essox = "essox",
        /// Twisto.
        Twisto = "twisto",
        /// Cash at the till.
        CashOnCashRegister = "cashOnCashRegister",
        /// Card at the till.
        CardOnCashRegister = "cardOnCashRegister",
        /// ThePay.
        Thepay = "thepay",
        /// The shop's own payment method.
        Custom = "custom",
    }
}

open_enum! {
    /// Where an order was made.
    pub enum OrderOrigin {
        /// By hand in the admin.
        Admin = "admin",
        /// By the customer in the shop.
        Frontend = "frontend",
        /// Through the API.
        Api = "api",
        /// At a till. The blueprint spells it with an en dash, older pages with a hyphen.
        CashRegister = "cash-register" | "cash\u{2013}register" | "cash_register",
    }
}

open_enum! {
    /// What an order line is.
    pub enum LineType {
        /// An ordinary product.
        Product = "product",
        /// A set.
        Set = "set",
        /// A part of a set (its `parent_uuid` is the set).
        SetPart = "set_part",
        /// A gift (its `parent_uuid` is the product it came with).
        Gift = "gift",
        /// A discount (its `parent_uuid` is the product it applies to).
        Discount = "discount",
    }
}

open_enum! {
    /// How a discount is expressed.
    pub enum DiscountType {
        /// A percentage.
        Percent = "percent",
        /// A fixed amount.
        Price = "price",
    }
}

open_enum! {
    /// Which column an order list is sorted by.
    pub enum OrderBy {
        /// Creation time.
        CreationTime = "creation_time",
        /// Last change.
        LastUpdateTime = "last_update_time",
    }
}

open_enum! {
    /// Sort direction.
    pub enum OrderDir {
        /// Ascending.
        Asc = "asc",
        /// Descending.
        Desc = "desc",
    }
}
