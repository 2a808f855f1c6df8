<?php
/**
 * Command-line helper of the plugin tests, run inside the test site:
 *
 *   php wp-helper.php SITE_DIR COMMAND [JSON]
 *
 * install {users: [{login, email, role, display_name}]}  installs WordPress, activates the plugin
 * set_options {name: value|null}                         update_option (null deletes)
 * get_options [names]                                    {name: value|false}
 * nonce {user_id, logged_in_cookie, action}              a nonce for that user's session
 * uninstall                                               uninstall_plugin('snagdesk/snagdesk.php')
 * translate {locales, text}                              {locale: __(text, 'snagdesk') after switch_to_locale(locale)}
 *
 * Prints one line of JSON.
 *
 * @package Snagdesk
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$snagdesk_site    = rtrim( $argv[1], '/' );
$snagdesk_command = $argv[2];
$snagdesk_args    = isset( $argv[3] ) ? json_decode( $argv[3], true ) : null;

$_SERVER['HTTP_HOST']   = parse_url( getenv( 'SNAGDESK_WP_HOME' ), PHP_URL_HOST ) . ':' . parse_url( getenv( 'SNAGDESK_WP_HOME' ), PHP_URL_PORT );
$_SERVER['SERVER_NAME'] = parse_url( getenv( 'SNAGDESK_WP_HOME' ), PHP_URL_HOST );
$_SERVER['REQUEST_URI'] = '/';

if ( 'install' === $snagdesk_command ) {
	define( 'WP_INSTALLING', true );
	require $snagdesk_site . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	require_once ABSPATH . 'wp-admin/includes/plugin.php';
	$snagdesk_result = wp_install( 'Snagdesk test site', 'admin', 'admin@example.test', false, '', 'admin-password' );
	$snagdesk_ids    = array( 'admin' => (int) $snagdesk_result['user_id'] );
	foreach ( $snagdesk_args['users'] as $snagdesk_user ) {
		$snagdesk_id = wp_insert_user(
			array(
				'user_login'   => $snagdesk_user['login'],
				'user_email'   => $snagdesk_user['email'],
				'user_pass'    => $snagdesk_user['login'] . '-password',
				'role'         => $snagdesk_user['role'],
				'display_name' => $snagdesk_user['display_name'],
			)
		);
		if ( is_wp_error( $snagdesk_id ) ) {
			fwrite( STDERR, $snagdesk_id->get_error_message() . "\n" );
			exit( 1 );
		}
		$snagdesk_ids[ $snagdesk_user['login'] ] = $snagdesk_id;
	}
	wp_update_user(
		array(
			'ID'           => $snagdesk_ids['admin'],
			'display_name' => $snagdesk_args['admin_display_name'],
		)
	);
	switch_theme( 'snagdesk-test' );
	$snagdesk_activated = activate_plugin( 'snagdesk/snagdesk.php' );
	if ( is_wp_error( $snagdesk_activated ) ) {
		fwrite( STDERR, $snagdesk_activated->get_error_message() . "\n" );
		exit( 1 );
	}
	echo wp_json_encode( $snagdesk_ids ), "\n";
	exit( 0 );
}

require $snagdesk_site . '/wp-load.php';

if ( 'set_options' === $snagdesk_command ) {
	foreach ( $snagdesk_args as $snagdesk_name => $snagdesk_value ) {
		if ( null === $snagdesk_value ) {
			delete_option( $snagdesk_name );
		} else {
			update_option( $snagdesk_name, $snagdesk_value );
		}
	}
	echo "{}\n";
} elseif ( 'get_options' === $snagdesk_command ) {
	$snagdesk_values = array();
	foreach ( $snagdesk_args as $snagdesk_name ) {
		$snagdesk_values[ $snagdesk_name ] = get_option( $snagdesk_name );
	}
	echo wp_json_encode( $snagdesk_values ), "\n";
} elseif ( 'nonce' === $snagdesk_command ) {
	$_COOKIE[ LOGGED_IN_COOKIE ] = $snagdesk_args['logged_in_cookie'];
	wp_set_current_user( (int) $snagdesk_args['user_id'] );
	echo wp_json_encode( wp_create_nonce( $snagdesk_args['action'] ) ), "\n";
} elseif ( 'uninstall' === $snagdesk_command ) {
	require_once ABSPATH . 'wp-admin/includes/plugin.php';
	deactivate_plugins( 'snagdesk/snagdesk.php' );
	uninstall_plugin( 'snagdesk/snagdesk.php' );
	echo "{}\n";
} elseif ( 'translate' === $snagdesk_command ) {
	$snagdesk_translations = array();
	// From one locale straight to the next: WordPress 6.1 no longer loads a plugin's translations
	// just in time once it has been back on en_US, for which the plugin ships no .mo.
	foreach ( $snagdesk_args['locales'] as $snagdesk_locale ) {
		$snagdesk_switched = switch_to_locale( $snagdesk_locale );
		// phpcs:ignore WordPress.WP.I18n.NonSingularStringLiteralText -- the text under test.
		$snagdesk_translations[ $snagdesk_locale ] = $snagdesk_switched ? __( $snagdesk_args['text'], 'snagdesk' ) : null;
	}
	restore_current_locale();
	echo wp_json_encode( $snagdesk_translations ), "\n";
} else {
	fwrite( STDERR, "unknown command $snagdesk_command\n" );
	exit( 2 );
}
