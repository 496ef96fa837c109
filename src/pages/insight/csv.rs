//! "Download CSV" for every table: the rows exactly as the table shows them, written
//! by RFC 4180 (comma-separated, CRLF line ends, a field quoted when it holds a comma,
//! a quote or a line break, quotes doubled), and safe to open in a spreadsheet: a
//! cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) could run
//! as a formula, so it gets a leading `'`. The writer is pure (host tests); the
//! download is a Blob behind a temporary object URL and an `<a download>`.

/// The rows (header first) as one CSV text.
pub fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row.iter().map(|cell| field(cell)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn field(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// A file name from a table's name and the period: `insight-busiest-categories-2026-11-01-2026-11-30.csv`
/// (letters of any alphabet kept, everything else a dash).
pub fn file_name(table: &str, from: &str, to: &str) -> String {
    let mut slug = String::new();
    for c in table.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("insight-{slug}-{from}-{to}.csv")
}

/// Hands `text` to the browser as a download named `name`. A byte-order mark first,
/// so spreadsheet programs read the file as UTF-8 (Cyrillic, accents, "ø").
pub fn download(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&format!("\u{feff}{text}")));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = leptos::prelude::document();
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.set_hidden(true);
        if let Some(body) = document.body() {
            let _ = body.append_child(&link);
            link.click();
            link.remove();
        }
    }
    // Some browsers read the URL after the click's task: it is let go a little later.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(20),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn plain_rows_are_comma_separated_with_crlf() {
        let text = write(&rows(&[&["Category", "Created"], &["Printers", "12"]]));
        assert_eq!(text, "Category,Created\r\nPrinters,12\r\n");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        let text = write(&rows(&[&[
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\rhere",
            "1 234,5 %",
        ]]));
        assert_eq!(
            text,
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\"1 234,5 %\"\r\n"
        );
    }

    #[test]
    fn cells_that_could_run_as_formulas_are_defused() {
        let text = write(&rows(&[&[
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "a=b",
            "",
        ]]));
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),'\tx,a=b,\r\n"
        );
    }

    #[test]
    fn unicode_is_kept_as_it_is() {
        assert_eq!(
            write(&rows(&[&["Принтеры", "Skriver ø"]])),
            "Принтеры,Skriver ø\r\n"
        );
    }

    #[test]
    fn file_names_come_from_the_table_and_period() {
        assert_eq!(
            file_name("Busiest categories", "2026-11-01", "2026-11-30"),
            "insight-busiest-categories-2026-11-01-2026-11-30.csv"
        );
        assert_eq!(
            file_name("Поиски без результатов!", "a", "b"),
            "insight-поиски-без-результатов-a-b.csv"
        );
    }
}
