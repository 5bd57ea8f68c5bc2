<?php
// The pre-publish hook as a php-fpm request: POST the draft (HTML body),
// get the verdict and findings as JSON. One screener per worker process,
// built on its first request (the library was preloaded; see preload.php).
//
//   curl --data-binary @draft.html 'http://cms.local/hook.php?title=...'

declare(strict_types=1);

function screener(): Xianshen
{
    static $xs = null;
    return $xs ??= Xianshen::fromScope();
}

header('Content-Type: application/json; charset=utf-8');
$body = (string) file_get_contents('php://input');
try {
    $result = screener()->screen($body, $_GET['title'] ?? null, null, null, 'html');
} catch (XianshenException $e) {
    http_response_code(500);
    echo json_encode(['error' => $e->getMessage(), 'status' => $e->status], JSON_UNESCAPED_UNICODE), "\n";
    exit;
}
if ($result['verdict'] === 'block') {
    http_response_code(422);
}
echo json_encode([
    'verdict' => $result['verdict'],
    'approval' => $result['approval'],
    'findings' => array_map(fn ($f) => [
        'rule' => $f['rule'], 'start' => $f['start'], 'end' => $f['end'], 'text' => $f['text'],
        'slices' => substr($body, $f['start'], $f['end'] - $f['start']) === $f['text'],
    ], $result['findings']),
    'pid' => getmypid(),
], JSON_UNESCAPED_UNICODE), "\n";
