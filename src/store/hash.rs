//! SHA-256 digests as lower-case hex, the form the native file records
//! (`source_sha256` of the article's bytes, `text_sha256` of the decoded text as UTF-8).

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
pub use crate::model::text::sha256_hex;
/// The SHA-256 of pieces written one after another.
pub use crate::model::text::sha256_hex_of_parts;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
