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
     * Screens a draft through the JSON call (xs_screen_json). Offsets in the
     * result are byte offsets into $text, markup included for HTML and
     * Markdown: exactly what substr() takes.
     *
     * @param bool|null $repost null: not known (the text's own markers decide)
     * @param string    $format 'text', 'html' or 'markdown'
     * @return array{verdict: string, approval: string, findings: list<array<string, mixed>>, title_findings: list<array<string, mixed>>, json: string, redacted: string}
     */
    public function screen(string $text, ?string $title = null, ?bool $repost = null, ?string $source = null, string $format = 'text', string $kind = 'article'): array
    {
        $ffi = $this->ffi;
        $options = ['kind' => $kind, 'input_format' => $format, 'redact' => ['mask' => '*']];
        if ($title !== null) {
            $options['title'] = $title;
        }
        if ($source !== null) {
            $options['source'] = $source;
        }
        if ($repost !== null) {
            $options['repost'] = $repost;
        }
        $out = $ffi->new('char*');
        $status = $ffi->xs_screen_json($this->screener, $text, strlen($text), json_encode($options, JSON_THROW_ON_ERROR), FFI::addr($out));
        $json = FFI::isNull($out) ? '' : FFI::string($out);
        $ffi->xs_string_free($out);
        $report = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
        if ($status !== $ffi->XS_OK) {
            $e = $report['error'];
            throw new XianshenException($e['message'], $status, $e['line'] ?? 0, $e['column'] ?? 0);
        }
        return [
            'verdict' => $report['verdict'],
            'approval' => $report['approval'],
            'findings' => $report['findings'],
            'title_findings' => $report['title_findings'] ?? [],
            'json' => $json,
            'redacted' => $report['redacted'],
        ];
    }

    /** A borrowed xs_str as a PHP string; null when absent. */
    private static function str(FFI\CData $s): ?string
    {
        if ($s->ptr === null) {
            return null;
        }
        return $s->len === 0 ? '' : FFI::string($s->ptr, $s->len);
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
