<?php
/**
 * Prints the widget's loader on the pages the rules allow.
 *
 * @package Snagdesk
 */

namespace Snagdesk;

defined( 'ABSPATH' ) || exit;

/**
 * Enqueues `<Snagdesk>/widget/v1/loader.js` (deferred, with data-token and data-lang, the
 * page's language) and, for a logged-in user, data-name and data-email, which the loader uses
 * to prefill the report's sender.
 */
final class Loader {

	const HANDLE = 'snagdesk-loader';

	/**
	 * The data-* attributes filter_tag() prints (data-token, data-lang, and data-name and
	 * data-email for a logged-in user), set when the loader is enqueued.
	 *
	 * @var array
	 */
	private static $attributes = array();

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
		self::$attributes = self::attributes( $rules['token'], self::language_tag( determine_locale() ), $user );
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
	}

	/**
	 * A WordPress locale as the BCP 47 tag the widget reads in data-lang: "fr_CA" gives
	 * "fr-CA", "zh_CN" "zh-CN". WordPress's variants ("de_DE_formal", "pt_PT_ao90",
	 * "ca_valencia") are not BCP 47 subtags and are left out. Empty string when it is not a locale.
	 *
	 * @param string $locale A WordPress locale, as determine_locale() returns it.
	 * @return string
	 */
	public static function language_tag( $locale ) {
		$parts = explode( '_', (string) $locale );
		if ( ! preg_match( '/^[A-Za-z]{2,3}\z/', $parts[0] ) ) {
			return '';
		}
		$tag = strtolower( array_shift( $parts ) );
		if ( $parts && preg_match( '/^[A-Za-z]{4}\z/', $parts[0] ) ) {
			$tag .= '-' . ucfirst( strtolower( array_shift( $parts ) ) );
		}
		if ( $parts && preg_match( '/^([A-Za-z]{2}|[0-9]{3})\z/', $parts[0] ) ) {
			$tag .= '-' . strtoupper( array_shift( $parts ) );
		}
		return $tag;
	}

	/**
	 * The loader tag's data-* attributes: the token, the language, and the sender for a
	 * logged-in user.
	 *
	 * @param string     $token The widget token.
	 * @param string     $lang  The page's language from language_tag(); empty leaves data-lang out.
	 * @param array|null $user  The user from current_user(); null for a visitor, who gets no name or e-mail.
	 * @return array Attribute name => unescaped value.
	 */
	public static function attributes( $token, $lang, $user ) {
		$attributes = array( 'data-token' => $token );
		if ( '' !== $lang ) {
			$attributes['data-lang'] = $lang;
		}
		if ( null !== $user ) {
			$attributes['data-name']  = $user['name'];
			$attributes['data-email'] = $user['email'];
		}
		return $attributes;
	}

	/**
	 * Adds the data-* attributes (and defer, which WordPress before 6.3 does not print) to the
	 * loader's tag.
	 *
	 * @param string $tag    The HTML of the script.
	 * @param string $handle The script handle.
	 * @return string
	 */
	public static function filter_tag( $tag, $handle ) {
		if ( self::HANDLE !== $handle || ! self::$attributes ) {
			return $tag;
		}
		$data = '';
		foreach ( self::$attributes as $name => $value ) {
			$data .= ' ' . $name . '="' . esc_attr( $value ) . '"';
		}
		return (string) preg_replace_callback(
			'/<script\b([^>]*\bid=([\'"])' . preg_quote( self::HANDLE, '/' ) . '-js\2[^>]*)>/',
			static function ( $match ) use ( $data ) {
				$attributes = rtrim( $match[1] );
				if ( ! preg_match( '/\s(defer|async)(?=[\s=>\/]|$)/', $attributes ) ) {
					$attributes .= ' defer';
				}
				return '<script' . $attributes . $data . '>';
			},
			$tag,
			1
		);
	}
}
