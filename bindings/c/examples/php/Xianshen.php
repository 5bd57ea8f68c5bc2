<?php
// A thin PHP FFI wrapper around libxianshen (the C API in include/xianshen.h).
//
// It loads the committed header itself: PHP's FFI parser takes no
// preprocessor directives, so the few in xianshen.h are resolved here for a
// C (not C++, not C23) compiler, and the enum constants (XS_OK,
// XS_VERDICT_BLOCK, ...) come with the header as $ffi->NAME.

declare(strict_types=1);

final class XianshenException extends RuntimeException
{
    public function __construct(
        string $message,
        public readonly int $status,
        public readonly int $policyLine = 0,
        public readonly int $policyColumn = 0,
    ) {
        parent::__construct($message, $status);
    }
}

final class Xianshen
{
    public readonly FFI $ffi;
    private FFI\CData $screener;

    /** Declarations for FFI::cdef(): the header with its preprocessor lines resolved. */
    public static function declarations(string $header): string
    {
        $out = [];
        $stack = [];          // whether each open #if/#ifdef/#ifndef branch is active
        $active = true;
        foreach (preg_split('/\r\n|\n|\r/', $header) as $line) {
            if (preg_match('/^\s*#\s*(\w+)\s*(.*)$/', $line, $m)) {
                [$directive, $arg] = [$m[1], trim($m[2])];
                switch ($directive) {
                    case 'ifndef': // only XIANSHEN_H and __cplusplus: neither is defined
                        $stack[] = $active;
                        break;
                    case 'ifdef':  // only __cplusplus
                    case 'if':     // only C++ or C23 conditions
                        $stack[] = $active;
                        $active = false;
                        break;
                    case 'else':
                        $outer = end($stack);
                        $active = $outer && !$active;
                        break;
                    case 'endif':
                        $active = array_pop($stack);
                        break;
                    default:       // #define, #include: nothing for FFI
                        break;
                }
                continue;
            }
            if ($active) {
                $out[] = $line;
            }
        }
        return implode("\n", $out);
    }

    /**
     * Loads the library with its header (PHP CLI, or FFI enabled for every
     * request): parses the header on every call.
     *
     * @param string|null $policyToml policy TOML text; null: the embedded default policy
     * @param string|null $baseDir    folder for the policy's list files
     */
    public static function load(string $library, string $header, ?string $policyToml = null, ?string $baseDir = null): self
    {
        return new self(FFI::cdef(self::declarations((string) file_get_contents($header)), $library), $policyToml, $baseDir);
    }

    /**
     * The library preloaded under php-fpm: opcache.preload ran
     * FFI::load() on include/xianshen_ffi.h (FFI_SCOPE "xianshen"), so
     * requests neither parse the header nor need ffi.enable=true.
     */
    public static function fromScope(string $scope = 'xianshen', ?string $policyToml = null, ?string $baseDir = null): self
    {
        return new self(FFI::scope($scope), $policyToml, $baseDir);
    }

    private function __construct(FFI $ffi, ?string $policyToml, ?string $baseDir)
    {
        $this->ffi = $ffi;
        $screener = $this->ffi->new('xs_screener*');
        $error = $this->ffi->new('xs_error*');
        $status = $policyToml === null
            ? $this->ffi->xs_screener_new_default(FFI::addr($screener), FFI::addr($error))
            : $this->ffi->xs_screener_new_from_toml($policyToml, strlen($policyToml), $baseDir, FFI::addr($screener), FFI::addr($error));
        $this->check($status, $error);
        $this->screener = $screener;
    }

    public function __destruct()
    {
        $this->ffi->xs_screener_free($this->screener);
    }

    public function version(): string
    {
        return $this->ffi->xs_version(); // const char* comes back as a PHP string
    }

    /**
     * Screens a draft. Offsets in the result are byte offsets into $text,
     * exactly what substr() takes.
     *
     * @param bool|null $repost null: not known (the text's own markers decide)
     * @return array{verdict: string, approval: string, findings: list<array<string, mixed>>, json: string, redacted: string}
     */
    public function screen(string $text, ?string $title = null, ?bool $repost = null, ?string $source = null): array
    {
        $ffi = $this->ffi;
        $options = $ffi->new('xs_screen_options');
        $keep = [];   // buffers that must outlive the call
        $this->setStr($options->title, $title, $keep);
        $this->setStr($options->source, $source, $keep);
        $options->repost = $repost === null ? $ffi->XS_REPOST_UNKNOWN : ($repost ? $ffi->XS_REPOST_YES : $ffi->XS_REPOST_NO);

        $report = $ffi->new('xs_report*');
        $error = $ffi->new('xs_error*');
        $this->check($ffi->xs_screen($this->screener, $text, strlen($text), FFI::addr($options), FFI::addr($report), FFI::addr($error)), $error);
        try {
            $findings = [];
            $count = $ffi->xs_report_finding_count($report);
            $f = $ffi->new('xs_finding');
            for ($i = 0; $i < $count; $i++) {
                $this->check($ffi->xs_report_finding($report, $i, FFI::addr($f)));
                $findings[] = [
                    'rule' => self::str($f->rule),
                    'severity' => [$ffi->XS_SEVERITY_INFO => 'info', $ffi->XS_SEVERITY_REVIEW => 'review', $ffi->XS_SEVERITY_BLOCK => 'block'][$f->severity],
                    'start' => $f->start,
                    'end' => $f->end,
                    'char_start' => $f->char_start,
                    'char_end' => $f->char_end,
                    'line' => $f->line,
                    'column' => $f->column,
                    'text' => self::str($f->text),
                    'term' => self::str($f->term),
                    'message' => self::str($f->message),
                    'suggestion' => self::str($f->suggestion),
                ];
            }
            $json = $ffi->new('xs_str');
            $this->check($ffi->xs_report_json($report, FFI::addr($json)));

            $out = $ffi->new('char*');
            $outLen = $ffi->new('size_t');
            $this->check($ffi->xs_report_redact($report, null, FFI::addr($out), FFI::addr($outLen), FFI::addr($error)), $error);
            $redacted = FFI::string($out, $outLen->cdata);
            $ffi->xs_string_free($out);

            return [
                'verdict' => [$ffi->XS_VERDICT_PASS => 'pass', $ffi->XS_VERDICT_REVIEW => 'review', $ffi->XS_VERDICT_BLOCK => 'block'][$ffi->xs_report_verdict($report)],
                'approval' => [$ffi->XS_APPROVAL_REVIEWER => 'reviewer', $ffi->XS_APPROVAL_HEAD => 'head', $ffi->XS_APPROVAL_LEADERSHIP => 'leadership'][$ffi->xs_report_approval($report)],
                'findings' => $findings,
                'json' => self::str($json),
                'redacted' => $redacted,
            ];
        } finally {
            $ffi->xs_report_free($report);
        }
    }

    /** A borrowed xs_str as a PHP string; null when absent. */
    private static function str(FFI\CData $s): ?string
    {
        if ($s->ptr === null) {
            return null;
        }
        return $s->len === 0 ? '' : FFI::string($s->ptr, $s->len);
    }

    /** Points an input xs_str at a copy of $value (kept alive in $keep). */
    private function setStr(FFI\CData $field, ?string $value, array &$keep): void
    {
        if ($value === null || $value === '') {
            return; // ptr NULL, len 0: absent
        }
        $buf = $this->ffi->new('char[' . strlen($value) . ']');
        FFI::memcpy($buf, $value, strlen($value));
        $keep[] = $buf;
        $field->ptr = $this->ffi->cast('const char*', FFI::addr($buf[0]));
        $field->len = strlen($value);
    }

    private function check(int $status, ?FFI\CData $error = null): void
    {
        if ($status === $this->ffi->XS_OK) {
            return;
        }
        $message = $this->ffi->xs_status_name($status);
        $line = $column = 0;
        if ($error !== null && !FFI::isNull($error)) {
            $message = self::str($this->ffi->xs_error_message($error)) ?? $message;
            $line = $this->ffi->xs_error_line($error);
            $column = $this->ffi->xs_error_column($error);
            $this->ffi->xs_error_free($error);
        }
        throw new XianshenException($message, $status, $line, $column);
    }
}
