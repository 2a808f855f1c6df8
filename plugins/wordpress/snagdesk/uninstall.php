<?php
/**
 * Removes the plugin's options when it is deleted from the Plugins screen.
 *
 * @package Snagdesk
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-visibility.php';
require_once __DIR__ . '/includes/class-settings.php';

/**
 * Deletes the options of the current site.
 */
function snagdesk_delete_options() {
	foreach ( Snagdesk\Settings::option_names() as $snagdesk_option ) {
		delete_option( $snagdesk_option );
	}
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $snagdesk_site_id ) {
		switch_to_blog( $snagdesk_site_id );
		snagdesk_delete_options();
		restore_current_blog();
	}
} else {
	snagdesk_delete_options();
}
