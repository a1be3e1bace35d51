<?php
// Prepended to every request of this run's `php -S`: Debian's wp-config.php picks
// /etc/wordpress/config-$_SERVER['WORDPRESS_CONFIG'].php, so each run has its own config file
// whatever Host header a client sends (several runs can share a machine).
$_SERVER['WORDPRESS_CONFIG'] = getenv('WORDPRESS_CONFIG');
