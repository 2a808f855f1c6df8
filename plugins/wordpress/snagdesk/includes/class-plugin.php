<?php
/**
 * Wires the plugin into WordPress.
 *
 * @package Snagdesk
 */

namespace Snagdesk;

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's entry point.
 */
final class Plugin {

	/**
	 * Registers every hook.
	 */
	public static function boot() {
		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );
		Loader::register_hooks();
		if ( is_admin() ) {
			Settings::register_hooks();
			Connection::register_hooks();
		}
	}

	/**
	 * Loads the translations from languages/.
	 */
	public static function load_textdomain() {
		load_plugin_textdomain( 'snagdesk', false, dirname( plugin_basename( SNAGDESK_FILE ) ) . '/languages' );
	}
}
