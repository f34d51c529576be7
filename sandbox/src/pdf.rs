//! `GET /orders/{n}/pdf`: a real, minimal, valid PDF (one page, text lines, correct xref).

use shopflow_core::upgates::order::Order;

/// The order as a one-page PDF.
#[must_use]
pub fn order_pdf(o: &Order) -> Vec<u8> {
    let mut lines = vec![
        format!("Objednavka {}", o.order_number),
        format!("Vytvoreno: {}", o.creation_time.map(|d| d.to_string()).unwrap_or_default()),
        format!("Stav: {}", ascii(o.status.as_deref().unwrap_or("-"))),
        format!("Zakaznik: {}", ascii(o.customer.email.as_deref().unwrap_or("-"))),
    ];
    for p in &o.products {
        lines.push(format!(
            "{} x {}  {}",
            p.quantity.map(|q| q.to_string()).unwrap_or_default(),
            ascii(p.title.as_deref().unwrap_or("")),
            p.price_with_vat.map(|x| x.to_string()).unwrap_or_default()
        ));
    }
    lines.push(format!(
        "Celkem: {} {}",
        o.order_total.map(|t| t.to_string()).unwrap_or_default(),
        o.currency_id.as_deref().unwrap_or("")
    ));
    render(&lines)
}

/// Latin-1-safe text for the built-in Helvetica (diacritics dropped) with PDF escapes.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'ä' => 'a',
            'č' | 'ć' => 'c',
            'ď' => 'd',
            'é' | 'ě' => 'e',
            'í' => 'i',
            'ň' => 'n',
            'ó' | 'ô' => 'o',
            'ř' => 'r',
            'š' => 's',
            'ť' => 't',
            'ú' | 'ů' => 'u',
            'ý' => 'y',
            'ž' => 'z',
            'Č' => 'C',
            'Ř' => 'R',
            'Š' => 'S',
            'Ž' => 'Z',
            c if c.is_ascii() => c,
            _ => '?',
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")
}

fn render(lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 56 780 Td 16 TL\n");
    for l in lines {
        content.push_str(&format!("({}) '\n", escape(&ascii(l))));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xref_points_at_the_objects() {
        let pdf = order_pdf(&Order::new("2026000001"));
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
        let startxref: usize =
            text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(text[startxref..].starts_with("xref"));
        for (n, line) in text[startxref..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(text[offset..].starts_with(&format!("{} 0 obj", n + 1)), "object {}", n + 1);
        }
        assert!(text.contains("(Objednavka 2026000001) '"));
    }
}
