<?php
// Router for `php -S` serving Debian's /usr/share/wordpress: send uploaded media (which live in
// the run's own WP_CONTENT_DIR, outside the document root) and let everything else fall through
// to WordPress (index.php answers permalinks and /wp-json/).
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
$content = getenv('BROADSHEET_WP_CONTENT');
if ($content && str_starts_with($path, '/wp-content/') && !str_contains($path, '..')) {
    $file = $content . substr($path, strlen('/wp-content'));
    if (is_file($file) && !preg_match('/\.php\d?$/i', $file)) {
        $types = ['png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg',
                  'gif' => 'image/gif', 'webp' => 'image/webp', 'css' => 'text/css',
                  'js' => 'text/javascript', 'svg' => 'image/svg+xml'];
        $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
        header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
        header('Content-Length: ' . filesize($file));
        readfile($file);
        return true;
    }
}
return false;
