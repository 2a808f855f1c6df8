<?php
/**
 * Unit tests of the plugin's pure parts, without WordPress: the few WordPress functions
 * they call are stood in for here with the same behaviour.
 *
 * @package Snagdesk
 */

define( 'ABSPATH', __DIR__ . '/' );

/**
 * Stand-in for WordPress's wp_parse_url().
 *
 * @param string $url       URL.
 * @param int    $component Component.
 * @return mixed
 */
function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}

/**
 * Stand-in for WordPress's wp_json_encode().
 *
 * @param mixed $data  Data.
 * @param int   $flags Flags.
 * @return string
 */
function wp_json_encode( $data, $flags = 0 ) {
	return json_encode( $data, $flags );
}

/**
 * Stand-in for WordPress's esc_attr().
 *
 * @param string $text Text.
 * @return string
 */
function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

/**
 * Stand-in for WordPress's __().
 *
 * @param string $text   Text.
 * @param string $domain Domain.
 * @return string
 */
function __( $text, $domain = 'default' ) {
	return $text;
}

require dirname( __DIR__, 2 ) . '/snagdesk/includes/class-visibility.php';
require dirname( __DIR__, 2 ) . '/snagdesk/includes/class-settings.php';
require dirname( __DIR__, 2 ) . '/snagdesk/includes/class-connection.php';
require dirname( __DIR__, 2 ) . '/snagdesk/includes/class-loader.php';
