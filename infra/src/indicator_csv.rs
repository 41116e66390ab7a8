//! An indicator's series as CSV (RFC 4180), for partner reporting.

use copnet_domain::{
    DomainError, DomainResult,
    model::{Indicator, SeriesPoint},
};

/// `indicator,kind,period,period_start,value,target,note`, one row per period; an empty
/// `value` where there is none.
pub fn render(indicator: &Indicator, points: &[SeriesPoint]) -> DomainResult<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "indicator",
        "kind",
        "period",
        "period_start",
        "value",
        "target",
        "note",
    ])
    .map_err(DomainError::internal)?;
    for p in points {
        out.write_record([
            &cell(&indicator.name),
            indicator.kind.code(),
            indicator.period.code(),
            &p.period_start.format("%Y-%m-%d").to_string(),
            &p.value.map(|v| v.to_string()).unwrap_or_default(),
            &indicator.target.to_string(),
            &cell(p.note.as_deref().unwrap_or_default()),
        ])
        .map_err(DomainError::internal)?;
    }
    let bytes = out.into_inner().map_err(DomainError::internal)?;
    String::from_utf8(bytes).map_err(DomainError::internal)
}

/// Free text as a cell a spreadsheet will not run as a formula (OWASP's CSV injection
/// advice: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
