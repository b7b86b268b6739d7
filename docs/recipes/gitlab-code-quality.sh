#!/bin/sh
# Runs `routec check` and converts its JSON report into GitLab's Code Quality format
# (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format), written to
# gl-code-quality-report.json. Exits as routec does: 0 clean, 1 findings, 2 errors.
# Needs jq. Usage: gitlab-code-quality.sh INPUT... [routec check flags]
set -u
status=0
routec check "$@" --format json > routec.json || status=$?
if [ "$status" -ge 2 ]; then exit "$status"; fi
jq '[.diagnostics[] | {
  description: .message,
  check_name: .code,
  fingerprint: ([.code, (.location.file // ""), .message] | join("\u0000") | @base64),
  severity: ({"error": "major", "warning": "minor", "advice": "info"}[.severity]),
  location: {
    path: (.location.file // "router.env"),
    lines: { begin: (.location.line // 1) }
  }
}]' routec.json > gl-code-quality-report.json
exit "$status"
