<?php
/**
 * Router for `php -S`: real files and folders as they are, any other path to WordPress.
 *
 * @package Snagdesk
 */

$snagdesk_path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( file_exists( __DIR__ . $snagdesk_path ) ) {
	return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
