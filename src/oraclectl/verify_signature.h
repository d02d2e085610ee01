// `oraclectl verify-signature`: checks a mark's Ed25519 signature offline (no server), or prints
// the text that is signed. The flags, messages and exit codes around the signing module's
// ReadMarkJson and MarkVerifier (include/oracle/signing/).
#ifndef ORACLE_ORACLECTL_VERIFY_SIGNATURE_H_
#define ORACLE_ORACLECTL_VERIFY_SIGNATURE_H_

namespace oracle::ctl {

// Runs the command with main()'s argc/argv (argv[0] the program). It parses its own flags
// (--public-key FILE, --mark-json FILE|-, --print-canonical, --help); the only positional it
// accepts is the command word "verify-signature", so main() may pass its argv whole, or from the
// command word on. Prints to stdout/stderr; returns the exit code: 0 the signature verifies (or,
// with --print-canonical alone, the text was printed), 1 it does not or the input cannot be read,
// 2 usage error.
int RunVerifySignature(int argc, char** argv);

}  // namespace oracle::ctl

#endif  // ORACLE_ORACLECTL_VERIFY_SIGNATURE_H_
