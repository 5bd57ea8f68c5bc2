<?php
// A pre-publish hook as a PHP CMS would run it: before a post goes live,
// screen its HTML body with xianshen (through the C library, by FFI) and
// print the verdict, who must sign off, and every finding with its byte
// offsets in the HTML source, tags included (what substr() takes, so the
// editor can highlight it); the title is screened as a field of its own.
//
//   php prepublish.php [draft.html]
//
// Environment: XIANSHEN_LIB (default: libxianshen.so from the loader path),
// XIANSHEN_HEADER (default: ../../include/xianshen.h).
// Exit status: 0 pass, 1 review, 2 block (publishing must stop), 3 error.

declare(strict_types=1);

require __DIR__ . '/Xianshen.php';

$library = getenv('XIANSHEN_LIB') ?: 'libxianshen.so';
$header = getenv('XIANSHEN_HEADER') ?: __DIR__ . '/../../include/xianshen.h';
$path = $argv[1] ?? __DIR__ . '/draft.html';

// What the CMS knows about the post besides its body.
$post = [
    'title' => '我校举办2026年新生开学典礼',
    'repost' => false,
    'source' => null,
    'body' => (string) file_get_contents($path),
];

try {
    $xs = Xianshen::load($library, $header);
    $result = $xs->screen($post['body'], $post['title'], $post['repost'], $post['source'], 'html');
} catch (XianshenException $e) {
    fwrite(STDERR, "xianshen: {$e->getMessage()}\n");
    exit(3);
}

printf("xianshen %s pre-publish check: %s (%d bytes)\n", $xs->version(), basename($path), strlen($post['body']));
printf("verdict: %s\n", $result['verdict']);
printf("approval: %s\n", $result['approval']);
printf("findings: %d\n", count($result['findings']));
foreach ($result['findings'] as $f) {
    // The offsets are bytes into the body: substr() gives the finding's text back.
    $exact = substr($post['body'], $f['start'], $f['end'] - $f['start']) === $f['text'] ? 'exact' : 'MISMATCH';
    printf(
        "  %-6s %-20s bytes %d..%d  chars %d..%d  line %d col %d  %s  \"%s\"  %s\n",
        $f['severity'], $f['rule'], $f['start'], $f['end'], $f['char_start'], $f['char_end'],
        $f['line'], $f['column'], $exact, $f['text'], $f['message'],
    );
}
foreach ($result['title_findings'] as $f) {
    printf("  %-6s %-20s title bytes %d..%d  \"%s\"\n", $f['severity'], $f['rule'], $f['start'], $f['end'], $f['text']);
}
$report = json_decode($result['json'], true, 512, JSON_THROW_ON_ERROR);
printf("report: %s, %d findings, policy %s\n", $report['schema'], count($report['findings']), $report['policy']['fingerprint']);
if ($result['verdict'] === 'block') {
    echo "publishing stopped: fix the findings marked block, then submit again\n";
}
exit(['pass' => 0, 'review' => 1, 'block' => 2][$result['verdict']]);
