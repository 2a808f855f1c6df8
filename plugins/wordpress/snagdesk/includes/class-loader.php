<?php
/**
 * Prints the widget's loader on the pages the rules allow.
 *
 * @package Snagdesk
 */

namespace Snagdesk;

defined( 'ABSPATH' ) || exit;

/**
 * Enqueues `<Snagdesk>/widget/v1/loader.js` (deferred, with data-token) and, for a logged-in
 * user, the call that prefills the report's sender with their name and e-mail address.
 */
final class Loader {

	const HANDLE = 'snagdesk-loader';

	/**
	 * The token printed in data-token by filter_tag(), set when the loader is enqueued.
	 *
	 * @var string
	 */
	private static $token = '';

	/**
	 * Hooks the loader in.
	 */
	public static function register_hooks() {
		add_action( 'wp_enqueue_scripts', array( __CLASS__, 'enqueue_front' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'enqueue_admin' ) );
		add_filter( 'script_loader_tag', array( __CLASS__, 'filter_tag' ), 10, 2 );
	}

	/**
	 * On the front end.
	 */
	public static function enqueue_front() {
		self::maybe_enqueue( Visibility::FRONT );
	}

	/**
	 * In wp-admin.
	 */
	public static function enqueue_admin() {
		self::maybe_enqueue( Visibility::ADMIN );
	}

	/**
	 * The current user as Visibility::should_load() takes it, with name and email; null for a visitor.
	 *
	 * @return array|null
	 */
	public static function current_user() {
		if ( ! is_user_logged_in() ) {
			return null;
		}
		$user = wp_get_current_user();
		return array(
			'id'    => (int) $user->ID,
			'roles' => array_values( (array) $user->roles ),
			// Display names are stored HTML-escaped ("&" as "&amp;"); the widget wants plain text.
			'name'  => html_entity_decode( (string) $user->display_name, ENT_QUOTES | ENT_HTML5, 'UTF-8' ),
			'email' => (string) $user->user_email,
		);
	}

	/**
	 * Enqueues the loader when the rules allow it here.
	 *
	 * @param string $context Visibility::FRONT or Visibility::ADMIN.
	 */
	public static function maybe_enqueue( $context ) {
		$rules = Settings::rules();
		$user  = self::current_user();
		if ( ! Visibility::should_load( $rules, $context, $user ) ) {
			return;
		}
		self::$token = $rules['token'];
		// The array is the WordPress 6.3+ form (strategy defer); older versions read it as
		// in_footer = true, and filter_tag() adds the defer attribute.
		wp_enqueue_script(
			self::HANDLE,
			Settings::loader_url( $rules['url'] ),
			array(),
			null, // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion -- the loader is versioned by Snagdesk (max-age 300).
			array(
				'in_footer' => true,
				'strategy'  => 'defer',
			)
		);
		if ( null !== $user ) {
			// "before": an "after" inline script would make WordPress 6.3+ drop the defer strategy.
			wp_add_inline_script( self::HANDLE, self::identify_script( $user['name'], $user['email'] ), 'before' );
		}
	}

	/**
	 * The inline script that hands the user's name and e-mail address to Snagdesk.identify().
	 *
	 * The loader defines window.Snagdesk when it runs (deferred: before DOMContentLoaded), and a
	 * window.Snagdesk defined earlier would stop it from mounting, so the call waits for
	 * DOMContentLoaded (and load, in case something made the loader async).
	 *
	 * @param string $name  Display name.
	 * @param string $email E-mail address.
	 * @return string JavaScript, safe inside a script element.
	 */
	public static function identify_script( $name, $email ) {
		$who = wp_json_encode(
			array(
				'name'  => $name,
				'email' => $email,
			),
			JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT
		);
		return '(function(){var who=' . $who . ';var done=false;function go(){var s=window.Snagdesk;if(!done&&s&&typeof s.identify==="function"){done=true;s.identify(who);}}document.addEventListener("DOMContentLoaded",go);window.addEventListener("load",go);}());';
	}

	/**
	 * Adds data-token (and defer, which WordPress before 6.3 does not print) to the loader's tag.
	 *
	 * @param string $tag    The HTML of the script (with its inline scripts).
	 * @param string $handle The script handle.
	 * @return string
	 */
	public static function filter_tag( $tag, $handle ) {
		if ( self::HANDLE !== $handle || '' === self::$token ) {
			return $tag;
		}
		$token = self::$token;
		return (string) preg_replace_callback(
			'/<script\b([^>]*\bid=([\'"])' . preg_quote( self::HANDLE, '/' ) . '-js\2[^>]*)>/',
			static function ( $match ) use ( $token ) {
				$attributes = rtrim( $match[1] );
				if ( ! preg_match( '/\s(defer|async)(?=[\s=>\/]|$)/', $attributes ) ) {
					$attributes .= ' defer';
				}
				return '<script' . $attributes . ' data-token="' . esc_attr( $token ) . '">';
			},
			$tag,
			1
		);
	}
}
