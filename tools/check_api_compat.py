#!/usr/bin/python3
"""The public protos against a committed baseline: fails on a breaking change (AIP-180).

Usage:
  check_api_compat.py --proto-root DIR --baseline FILE [--deliberate FILE] [--protoc PROTOC]
                      [--write-baseline] [PROTO...]

PROTO... are paths under --proto-root (default: the three files of oracle.v1). protoc compiles
them into a FileDescriptorSet (only these files, not their imports), which is compared with the
baseline, a text-format FileDescriptorSet (tests/proto/api_baseline.txtpb). With --write-baseline
the set is written to the baseline instead (CMake target `update_api_baseline`).

Breaking, each reported as one line "BREAKING <key> (<detail>)", where <key> is "<name>: <kind>":
  <field>: removed               a field gone, its number not reserved
  <field>: renumbered            same name, another number
  <field>: renamed               same number, another name (JSON and text format use names)
  <field>: type changed          scalar type, or the message/enum type it names
  <field>: label changed         singular <-> repeated
  <field>: json name changed     its JSON name changed (json_name option)
  <field>: reuses number         a new field has the number of a field still there
  <field>: reuses reserved number  / reuses reserved name
  <message|enum|service>: removed
  <enum value>: removed / renumbered / renamed / reuses reserved number
  <rpc>: removed / request type changed / response type changed / streaming changed
  <file>: option <name> changed  a packaging option (go_package, java_package, ...)
<name> is the full name (oracle.v1.Mark.sequence, oracle.v1.OracleService.GetMark, enum values as
oracle.v1.MarkFlag.MARK_FLAG_DEPEG) or the file's path (oracle/v1/oracle.proto). A change listed
in the --deliberate file (one key a line) is reported as "allowed" and does not fail.
Not checked: oneof membership, field options other than json_name, comments.

Exit 0: no unlisted breaking change; 1: at least one; 2: usage or protoc failure; 77: the Python
protobuf module is missing (ctest skips: install python3-protobuf, run with /usr/bin/python3).
"""
import argparse, os, subprocess, sys, tempfile

try:
    from google.protobuf import descriptor_pb2, text_format
except ImportError:
    sys.stderr.write(
        "SKIPPED: %s has no google.protobuf module; install python3-protobuf and run this with "
        "/usr/bin/python3\n" % sys.executable)
    sys.exit(77)

DEFAULT_PROTOS = ["oracle/v1/oracle.proto", "oracle/v1/audit.proto", "oracle/v1/config.proto"]
PACKAGING_OPTIONS = ["go_package", "java_package", "java_outer_classname", "java_multiple_files",
                     "csharp_namespace", "php_namespace", "objc_class_prefix"]
F = descriptor_pb2.FieldDescriptorProto
TYPE_NAMES = {v: k[len("TYPE_"):].lower() for k, v in F.Type.items()}


def compile_protos(protoc, root, protos, import_paths=()):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        includes = ["-I" + root] + ["-I" + d for d in import_paths]
        run = subprocess.run([protoc] + includes + ["--descriptor_set_out=" + out] + protos,
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write("protoc failed:\n" + run.stderr)
            sys.exit(2)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return fds


def read_baseline(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path) as f:
        text_format.Parse(f.read(), fds)
    return fds


def write_baseline(path, fds, command):
    header = ("# The public protos as last accepted (AIP-180): a text-format FileDescriptorSet.\n"
              "# Generated, do not edit: %s\n"
              "# tools/check_api_compat.py (ctest proto.api_compatibility) compares the protos "
              "with it.\n" % command)
    with open(path, "w") as f:
        f.write(header + text_format.MessageToString(fds))


def collect(fds):
    """Full name -> descriptor, for messages (nested too), enums and services."""
    messages, enums, services, files = {}, {}, {}, {}

    def walk(prefix, msgs, enum_list):
        for e in enum_list:
            enums[prefix + e.name] = e
        for m in msgs:
            name = prefix + m.name
            messages[name] = m
            walk(name + ".", m.nested_type, m.enum_type)

    for fd in fds.file:
        files[fd.name] = fd
        prefix = fd.package + "." if fd.package else ""
        walk(prefix, fd.message_type, fd.enum_type)
        for s in fd.service:
            services[prefix + s.name] = s
    return messages, enums, services, files


def field_type(f):
    return f.type_name.lstrip(".") if f.type_name else TYPE_NAMES.get(f.type, str(f.type))


def in_ranges(n, ranges, inclusive_end):
    return any(r.start <= n and (n <= r.end if inclusive_end else n < r.end) for r in ranges)


def compare_message(name, old, new, out):
    old_by_name = {f.name: f for f in old.field}
    old_by_num = {f.number: f for f in old.field}
    new_by_name = {f.name: f for f in new.field}
    new_by_num = {f.number: f for f in new.field}
    for f in old.field:
        key = name + "." + f.name
        g = new_by_name.get(f.name)
        if g is None:
            h = new_by_num.get(f.number)
            if h is not None and h.name not in old_by_name:
                out.append((key + ": renamed", "number %d is now %s" % (f.number, h.name)))
                g = h
            elif h is None and in_ranges(f.number, new.reserved_range, False):
                continue
            else:
                out.append((key + ": removed", "number %d is not reserved" % f.number))
                continue
        elif g.number != f.number:
            out.append((key + ": renumbered", "was %d, now %d" % (f.number, g.number)))
        if field_type(f) != field_type(g):
            out.append((key + ": type changed", "was %s, now %s" % (field_type(f), field_type(g))))
        if (f.label == F.LABEL_REPEATED) != (g.label == F.LABEL_REPEATED):
            out.append((key + ": label changed", "was %s, now %s" % (
                F.Label.Name(f.label).lower()[6:], F.Label.Name(g.label).lower()[6:])))
        if g.name == f.name and f.json_name and g.json_name and f.json_name != g.json_name:
            out.append((key + ": json name changed", "was %s, now %s" % (f.json_name, g.json_name)))
    for g in new.field:
        if g.name in old_by_name:
            continue
        key = name + "." + g.name
        f = old_by_num.get(g.number)
        if f is not None and f.name in new_by_name:
            out.append((key + ": reuses number", "%d was %s's" % (g.number, f.name)))
        if in_ranges(g.number, old.reserved_range, False):
            out.append((key + ": reuses reserved number", "%d" % g.number))
        if g.name in old.reserved_name:
            out.append((key + ": reuses reserved name", g.name))


def compare_enum(name, old, new, out):
    old_by_name = {v.name: v for v in old.value}
    old_by_num = {v.number: v for v in old.value}
    new_by_name = {v.name: v for v in new.value}
    new_by_num = {v.number: v for v in new.value}
    for v in old.value:
        key = name + "." + v.name
        w = new_by_name.get(v.name)
        if w is not None:
            if w.number != v.number:
                out.append((key + ": renumbered", "was %d, now %d" % (v.number, w.number)))
            continue
        x = new_by_num.get(v.number)
        if x is not None and x.name not in old_by_name:
            out.append((key + ": renamed", "number %d is now %s" % (v.number, x.name)))
        elif x is None and in_ranges(v.number, new.reserved_range, True):
            continue
        else:
            out.append((key + ": removed", "number %d is not reserved" % v.number))
    for w in new.value:
        if w.name in old_by_name:
            continue
        if in_ranges(w.number, old.reserved_range, True):
            out.append((name + "." + w.name + ": reuses reserved number", "%d" % w.number))
        if w.name in old.reserved_name:
            out.append((name + "." + w.name + ": reuses reserved name", w.name))


def compare_service(name, old, new, out):
    new_methods = {m.name: m for m in new.method}
    for m in old.method:
        key = name + "." + m.name
        n = new_methods.get(m.name)
        if n is None:
            out.append((key + ": removed", "rpc %s" % m.name))
            continue
        if n.input_type != m.input_type:
            out.append((key + ": request type changed", "was %s, now %s" % (
                m.input_type.lstrip("."), n.input_type.lstrip("."))))
        if n.output_type != m.output_type:
            out.append((key + ": response type changed", "was %s, now %s" % (
                m.output_type.lstrip("."), n.output_type.lstrip("."))))
        if (n.client_streaming, n.server_streaming) != (m.client_streaming, m.server_streaming):
            out.append((key + ": streaming changed", "client/server streaming was %s/%s, now %s/%s"
                        % (m.client_streaming, m.server_streaming,
                           n.client_streaming, n.server_streaming)))


def compare(old_fds, new_fds):
    """[(key, detail)] of every breaking change from old to new, sorted by key."""
    out = []
    old_m, old_e, old_s, old_f = collect(old_fds)
    new_m, new_e, new_s, new_f = collect(new_fds)
    for kinds, compare_one in ((("message", old_m, new_m), compare_message),
                               (("enum", old_e, new_e), compare_enum),
                               (("service", old_s, new_s), compare_service)):
        what, old, new = kinds
        for name, d in old.items():
            if name not in new:
                out.append((name + ": removed", what))
            else:
                compare_one(name, d, new[name], out)
    for path, fd in old_f.items():
        nd = new_f.get(path)
        if nd is None:
            continue  # its types are reported where they went missing
        for opt in PACKAGING_OPTIONS:
            a, b = getattr(fd.options, opt), getattr(nd.options, opt)
            if a != b:
                out.append(("%s: option %s changed" % (path, opt), "was %r, now %r" % (a, b)))
    return sorted(out)


def read_deliberate(path):
    keys = []
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    keys.append(line)
    return keys


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--proto-root", required=True)
    p.add_argument("--baseline", required=True)
    p.add_argument("--deliberate")
    p.add_argument("--protoc", default="protoc")
    p.add_argument("--import-path", action="append", default=[],
                   help="another import root (e.g. the one holding google/rpc/status.proto)")
    p.add_argument("--write-baseline", action="store_true")
    p.add_argument("protos", nargs="*")
    a = p.parse_args()
    protos = a.protos or DEFAULT_PROTOS
    current = compile_protos(a.protoc, a.proto_root, protos, a.import_path)
    if a.write_baseline:
        write_baseline(a.baseline, current, "cmake --build build --target update_api_baseline")
        print("wrote %s (%s)" % (a.baseline, ", ".join(protos)))
        return 0
    if not os.path.exists(a.baseline):
        sys.stderr.write("no baseline %s: make it with cmake --build build --target "
                         "update_api_baseline\n" % a.baseline)
        return 2
    changes = compare(read_baseline(a.baseline), current)
    deliberate = read_deliberate(a.deliberate)
    breaking = [(k, d) for k, d in changes if k not in deliberate]
    print("API compatibility of %s against %s: %d breaking, %d listed as deliberate" % (
        ", ".join(protos), a.baseline, len(breaking), len(changes) - len(breaking)))
    for k, d in changes:
        print("%s %s (%s)" % ("allowed " if k in deliberate else "BREAKING", k, d))
    found = {k for k, _ in changes}
    for k in deliberate:
        if k not in found:
            print("note: %s lists \"%s\", which is not a change against the baseline (a typo, or "
                  "the baseline already has it)" % (a.deliberate, k))
    if breaking:
        print("Each BREAKING line is a change existing clients break on. Undo it (reserve a "
              "removed field's number: `reserved N;`), or, if it is deliberate, add its key (the "
              "text between BREAKING and the parenthesis) to %s; README \"Changing the API\"."
              % (a.deliberate or "the deliberate changes file"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
