<?php
// Install the site from the PHP CLI (no HTTP self-probe), turn on pretty permalinks and print
// one line: the new application password of the admin user.
// Usage: WORDPRESS_CONFIG=name php install.php URL USER PASSWORD
[$script, $url, $user, $password] = $argv;
$_SERVER['WORDPRESS_CONFIG'] = getenv('WORDPRESS_CONFIG');
$_SERVER['HTTP_HOST'] = parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if (!is_blog_installed()) {
    $result = wp_install('Broadsheet Test Blog', $user, 'admin@example.test', false, '', $password);
    if (is_wp_error($result)) { fwrite(STDERR, $result->get_error_message() . "\n"); exit(1); }
}
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%postname%/');
flush_rewrite_rules(false);
$admin = get_user_by('login', $user);
$created = WP_Application_Passwords::create_new_application_password($admin->ID, ['name' => 'broadsheet-tests']);
if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message() . "\n"); exit(1); }
echo $created[0], "\n";
