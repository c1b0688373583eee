//! Audit checkpoints (审计锚点): the head of the audit chain (sequence, hash, time) written
//! outside the database, optionally signed with Ed25519, so that cutting the newest entries
//! off the chain is noticed.
//!
//! The hash chain alone finds an edited or removed entry *inside* the chain, but a chain whose
//! newest entries were deleted is still a whole chain. A checkpoint kept elsewhere remembers
//! how far the chain reached; `verify_against` fails when the chain no longer reaches it.
//! A checkpoint is only ever replaced by one that extends it: a writer that finds the chain
//! shorter than the last checkpoint refuses to write, so a periodic writer cannot launder a
//! cut.
//!
//! Signing uses `ed25519-dalek` (the RustCrypto-maintained Ed25519): the signing key is a file
//! holding the 32-byte seed in hex; verification takes the public key in hex, so the checker
//! needs no secret.

use crate::{App, Result};
use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use luoshi_domain::audit::BrokenLink;
use luoshi_domain::Error;
use luoshi_store::audit;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The head of the chain as written to a checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The newest entry's sequence number (0 for an empty log).
    pub seq: i64,
    /// The newest entry's hash (the genesis hash for an empty log).
    pub hash: String,
    /// When the checkpoint was written (RFC 3339, UTC).
    pub at: String,
    /// The Ed25519 public key that signed it, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// The Ed25519 signature over [`Checkpoint::message`], hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl Checkpoint {
    /// The bytes that are signed: the fields that anchor the chain, with a fixed prefix so a
    /// signature over anything else never passes for a checkpoint's.
    pub fn message(&self) -> Vec<u8> {
        format!(
            "luoshi-audit-checkpoint\nseq={}\nhash={}\nat={}\n",
            self.seq, self.hash, self.at
        )
        .into_bytes()
    }

    /// Sign with a key, recording its public half.
    pub fn sign(mut self, key: &SigningKey) -> Checkpoint {
        let signature = key.sign(&self.message());
        self.public_key = Some(hex::encode(key.verifying_key().to_bytes()));
        self.signature = Some(hex::encode(signature.to_bytes()));
        self
    }

    /// Check the signature against the operator's public key (not the one in the file: anyone
    /// could sign a forged checkpoint with a key of their own).
    pub fn check_signature(&self, public_key: &VerifyingKey) -> Result<()> {
        let Some(sig) = &self.signature else {
            return Err(Error::bad_input(
                "E_CHECKPOINT_UNSIGNED",
                "审计锚点没有签名，但已指定了验证公钥",
            ));
        };
        let bytes: [u8; 64] = hex::decode(sig)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| Error::bad_input("E_CHECKPOINT_SIGNATURE", "审计锚点的签名格式有误"))?;
        public_key
            .verify(&self.message(), &Signature::from_bytes(&bytes))
            .map_err(|_| {
                Error::bad_input(
                    "E_CHECKPOINT_SIGNATURE",
                    "审计锚点的签名无效：锚点文件被改动，或不是用此密钥签发的",
                )
            })
    }

    /// Read a checkpoint file.
    pub fn read(path: &Path) -> Result<Checkpoint> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::bad_input(
                "E_CHECKPOINT_READ",
                format!("无法读取审计锚点 {}: {e}", path.display()),
            )
        })?;
        serde_json::from_str(&text).map_err(|e| {
            Error::bad_input(
                "E_CHECKPOINT_FORMAT",
                format!("审计锚点 {} 格式有误: {e}", path.display()),
            )
        })
    }

    /// Write a checkpoint file atomically (a temporary file renamed over the old one), so a
    /// crash mid-write never leaves half a checkpoint.
    pub fn write(&self, path: &Path) -> Result<()> {
        let io = |e: std::io::Error| {
            Error::internal(format!("无法写入审计锚点 {}: {e}", path.display()))
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| Error::internal(format!("审计锚点: {e}")))?;
        std::fs::write(&tmp, json + "\n").map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// A new random signing key.
pub fn generate_key() -> Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| Error::internal(format!("随机数: {e}")))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Create a fresh signing key in a new file, readable by its owner only; returns the public
/// key in hex (what `audit verify --public-key` takes).
pub fn create_key_file(path: &Path) -> Result<String> {
    use std::io::Write;
    let key = generate_key()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path).map_err(|e| {
        Error::bad_input(
            "E_AUDIT_KEY",
            format!("无法创建密钥文件 {}: {e}", path.display()),
        )
    })?;
    writeln!(f, "{}", hex::encode(key.to_bytes()))
        .map_err(|e| Error::internal(format!("无法写入密钥文件 {}: {e}", path.display())))?;
    Ok(hex::encode(key.verifying_key().to_bytes()))
}

/// Read a signing key file (the 32-byte seed in hex).
pub fn read_signing_key(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::bad_input(
            "E_AUDIT_KEY",
            format!("无法读取签名密钥 {}: {e}", path.display()),
        )
    })?;
    let seed: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            Error::bad_input(
                "E_AUDIT_KEY",
                format!("签名密钥 {} 应为 64 位十六进制数", path.display()),
            )
        })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Parse a public key given in hex.
pub fn parse_public_key(hex_key: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::bad_input("E_AUDIT_PUBLIC_KEY", "验证公钥应为 64 位十六进制数"))?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|_| Error::bad_input("E_AUDIT_PUBLIC_KEY", "验证公钥不是有效的 Ed25519 公钥"))
}

impl App {
    /// The chain's head now, as an unsigned checkpoint.
    pub fn audit_head(&self) -> Result<Checkpoint> {
        let newest = self.store.read(|c| audit::latest(c, 1))?;
        let (seq, hash) = match newest.into_iter().next() {
            Some(e) => (e.seq, e.hash),
            None => (0, luoshi_domain::audit::GENESIS_HASH.to_string()),
        };
        Ok(Checkpoint {
            seq,
            hash,
            // Wall-clock time: a checkpoint records when it was really written, even when the
            // business clock runs on a simulated date.
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            public_key: None,
            signature: None,
        })
    }

    /// Where the chain fails to reach a checkpoint: `None` when the entry at the checkpoint's
    /// sequence number still carries the checkpoint's hash (the chain's own links are checked
    /// by [`App::verify_audit`]).
    pub fn checkpoint_gap(&self, checkpoint: &Checkpoint) -> Result<Option<BrokenLink>> {
        if checkpoint.seq == 0 {
            return Ok(None);
        }
        let at = self
            .store
            .read(|c| audit::page(c, checkpoint.seq - 1, 1))?
            .into_iter()
            .next();
        Ok(match at {
            Some(e) if e.seq == checkpoint.seq && e.hash == checkpoint.hash => None,
            Some(e) if e.seq == checkpoint.seq => Some(BrokenLink {
                seq: e.seq,
                reason: format!(
                    "第 {} 条记录与审计锚点（{}）不符：此后的记录被改写",
                    e.seq, checkpoint.at
                ),
            }),
            _ => {
                let newest = self.audit_head()?.seq;
                Some(BrokenLink {
                    seq: checkpoint.seq,
                    reason: format!(
                        "审计锚点（{}）记录到第 {} 条，数据库中只剩到第 {} 条：最新的记录被删除",
                        checkpoint.at, checkpoint.seq, newest
                    ),
                })
            }
        })
    }

    /// Write the chain's head to `path`, signed when a key is given. Refuses (and leaves the
    /// old file) when the chain no longer reaches the checkpoint already there.
    pub fn write_checkpoint(&self, path: &Path, key: Option<&SigningKey>) -> Result<Checkpoint> {
        if path.exists() {
            let previous = Checkpoint::read(path)?;
            if let Some(gap) = self.checkpoint_gap(&previous)? {
                return Err(Error::bad_input(
                    "E_AUDIT_CUT",
                    format!("未写入新锚点：{}", gap.reason),
                ));
            }
        }
        let head = self.audit_head()?;
        let head = match key {
            Some(k) => head.sign(k),
            None => head,
        };
        head.write(path)?;
        Ok(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            seq: 7,
            hash: "ab".repeat(32),
            at: "2026-01-01T00:00:00Z".into(),
            public_key: None,
            signature: None,
        }
    }

    #[test]
    fn a_signed_checkpoint_verifies_with_its_key_only() {
        let key = generate_key().unwrap();
        let signed = checkpoint().sign(&key);
        signed.check_signature(&key.verifying_key()).unwrap();
        let other = generate_key().unwrap();
        assert_eq!(
            signed
                .check_signature(&other.verifying_key())
                .unwrap_err()
                .code,
            "E_CHECKPOINT_SIGNATURE"
        );
    }

    #[test]
    fn an_edited_checkpoint_fails_its_signature() {
        let key = generate_key().unwrap();
        let mut signed = checkpoint().sign(&key);
        signed.seq = 5;
        assert_eq!(
            signed
                .check_signature(&key.verifying_key())
                .unwrap_err()
                .code,
            "E_CHECKPOINT_SIGNATURE"
        );
    }

    #[test]
    fn an_unsigned_checkpoint_fails_when_a_key_is_expected() {
        let key = generate_key().unwrap();
        assert_eq!(
            checkpoint()
                .check_signature(&key.verifying_key())
                .unwrap_err()
                .code,
            "E_CHECKPOINT_UNSIGNED"
        );
    }

    #[test]
    fn public_keys_are_checked_for_form() {
        assert!(parse_public_key("zz").is_err());
        let key = generate_key().unwrap();
        let hexed = hex::encode(key.verifying_key().to_bytes());
        assert_eq!(parse_public_key(&hexed).unwrap(), key.verifying_key());
    }
}
