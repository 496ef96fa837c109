//! Files attached to tickets and replies: screenshots, logs, PDFs. What a file is gets
//! decided by its bytes, never by its name or declared type, so a program renamed
//! `photo.png` is refused, and every accepted file is served back with the type found
//! here (and as a download), so no browser ever runs one.

use serde::{Deserialize, Serialize};

use crate::kb_authoring::ImageType;

/// One file: enough for a 4K screenshot or a long log.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// All the files of one ticket together.
pub const MAX_TICKET_ATTACHMENT_BYTES: i64 = 25 * 1024 * 1024;
/// Files per ticket or reply.
pub const MAX_ATTACHMENTS_PER_MESSAGE: usize = 10;
pub const MAX_ATTACHMENT_NAME_CHARS: usize = 120;

/// How full the storage for files is, for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorageUse {
    /// Ticket attachments (claimed or waiting) and article images, in bytes.
    pub used_bytes: i64,
    /// `SELFDESK_STORAGE_QUOTA_MIB`, in bytes.
    pub quota_bytes: i64,
    /// Set from 90 % on: uploads will soon be refused.
    pub warning: bool,
}

/// A file type Selfdesk accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentType {
    Image(ImageType),
    Pdf,
    /// UTF-8 text: logs, configuration, error output.
    Text,
}

impl AttachmentType {
    /// Recognises the file by its content.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if let Some(image) = ImageType::sniff(bytes) {
            return Some(Self::Image(image));
        }
        if bytes.starts_with(b"%PDF-") {
            return Some(Self::Pdf);
        }
        if is_plain_text(bytes) {
            return Some(Self::Text);
        }
        None
    }

    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Image(image) => image.media_type(),
            Self::Pdf => "application/pdf",
            Self::Text => "text/plain; charset=utf-8",
        }
    }
}

/// Valid UTF-8 with no control characters other than tab, line breaks and form feed:
/// what logs and text files are, and what no executable or archive is.
fn is_plain_text(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && std::str::from_utf8(bytes).is_ok_and(|text| {
            text.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
        })
}

/// Why a file was refused, in words a requester can act on.
pub fn refused_reason(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        "The file is empty"
    } else if bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") {
        "Programs cannot be attached. Attach a screenshot, a PDF or a text log instead"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "Archives (ZIP, Office files) cannot be attached. Attach a PDF, a screenshot or a text file instead"
    } else {
        "Only images (PNG, JPEG, GIF, WebP), PDF files and plain-text logs can be attached"
    }
}

/// A file name made safe to show and to offer as a download name: path parts,
/// control and quote characters removed, length bounded. Empty becomes "attachment".
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '<' | '>'))
        .take(MAX_ATTACHMENT_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "attachment".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// A stored file, as listed with its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    /// Random and unguessable; also what a new ticket or reply lists to claim an upload.
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_by_content() {
        assert_eq!(
            AttachmentType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(AttachmentType::Image(ImageType::Png))
        );
        assert_eq!(
            AttachmentType::sniff(b"%PDF-1.7\n..."),
            Some(AttachmentType::Pdf)
        );
        assert_eq!(
            AttachmentType::sniff("2026-11-23 ERROR spooler: ошибка\r\n\tat line 3".as_bytes()),
            Some(AttachmentType::Text)
        );
        // A Windows program named .png, a Linux binary, a ZIP, raw binary: refused.
        for bad in [
            &b"MZ\x90\0\x03\0\0\0\x04\0"[..],
            b"\x7fELF\x02\x01\x01",
            b"PK\x03\x04\x14\0",
            b"\0\x01\x02\x03",
            b"",
        ] {
            assert_eq!(AttachmentType::sniff(bad), None, "{bad:?}");
        }
        assert!(refused_reason(b"MZ\x90\0").contains("Programs"));
    }

    #[test]
    fn names_lose_paths_and_quotes() {
        assert_eq!(clean_name("C:\\Users\\ada\\log.txt"), "log.txt");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b;c\r\n.png"), "abc.png");
        assert_eq!(clean_name(".hidden"), "hidden");
        assert_eq!(clean_name("   "), "attachment");
        assert_eq!(
            clean_name(&"x".repeat(500)).chars().count(),
            MAX_ATTACHMENT_NAME_CHARS
        );
    }
}
