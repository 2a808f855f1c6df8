<?php
/**
 * "Test connection": asks the widget API for the token's config, as this site's pages would.
 *
 * @package Snagdesk
 */

namespace Snagdesk;

defined( 'ABSPATH' ) || exit;

/**
 * The test-connection admin-ajax handler and the reading of its answer.
 */
final class Connection {

	const AJAX_ACTION = 'snagdesk_test_connection';

	/**
	 * Hooks the handler in (logged-in users only; it checks the capability and the nonce).
	 */
	public static function register_hooks() {
		add_action( 'wp_ajax_' . self::AJAX_ACTION, array( __CLASS__, 'handle_ajax' ) );
	}

	/**
	 * The origin (scheme://host[:port]) of an address, as a browser sends it in Origin.
	 *
	 * @param string $url An absolute address.
	 * @return string
	 */
	public static function origin_of( $url ) {
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return '';
		}
		$scheme = strtolower( $parts['scheme'] );
		$origin = $scheme . '://' . strtolower( $parts['host'] );
		if ( isset( $parts['port'] ) && ! ( ( 'http' === $scheme && 80 === (int) $parts['port'] ) || ( 'https' === $scheme && 443 === (int) $parts['port'] ) ) ) {
			$origin .= ':' . (int) $parts['port'];
		}
		return $origin;
	}

	/**
	 * The config endpoint for a token.
	 *
	 * @param string $url   The Snagdesk address, without a trailing slash.
	 * @param string $token The widget token.
	 * @return string
	 */
	public static function config_url( $url, $token ) {
		return $url . '/api/widget/v1/config?token=' . rawurlencode( $token );
	}

	/**
	 * The admin-ajax handler: POST action, nonce, and optionally url and token (else the saved ones).
	 */
	public static function handle_ajax() {
		check_ajax_referer( self::AJAX_ACTION, 'nonce' );
		if ( ! current_user_can( Settings::CAPABILITY ) ) {
			wp_send_json(
				array(
					'ok'      => false,
					'status'  => 'forbidden',
					'message' => __( 'You are not allowed to manage the Snagdesk settings.', 'snagdesk' ),
				),
				403
			);
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked by check_ajax_referer() above.
		$url = isset( $_POST['url'] ) ? Settings::normalize_url( sanitize_text_field( wp_unslash( $_POST['url'] ) ) ) : (string) get_option( Settings::URL, '' );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked by check_ajax_referer() above.
		$token = isset( $_POST['token'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['token'] ) ) ) : (string) get_option( Settings::TOKEN, '' );
		wp_send_json( self::test( $url, $token, self::origin_of( home_url() ) ) );
	}

	/**
	 * Asks the Snagdesk for the token's config with this site's Origin.
	 *
	 * @param string $url    The Snagdesk address (normalized; empty when invalid).
	 * @param string $token  The widget token.
	 * @param string $origin This site's origin.
	 * @return array Keys ok (bool), status (string), message (string).
	 */
	public static function test( $url, $token, $origin ) {
		if ( '' === $url ) {
			return self::result( false, 'url_invalid', __( 'Enter a valid Snagdesk URL first (http:// or https://).', 'snagdesk' ) );
		}
		if ( ! Settings::is_valid_token( $token ) ) {
			return self::result( false, 'token_malformed', __( 'Enter a valid widget token first ("wt_" and 24 characters).', 'snagdesk' ) );
		}
		$response = wp_remote_get(
			self::config_url( $url, $token ),
			array(
				'timeout'     => 10,
				'redirection' => 2,
				'headers'     => array(
					'Origin' => $origin,
					'Accept' => 'application/json',
				),
			)
		);
		if ( is_wp_error( $response ) ) {
			return self::interpret( 0, '', $response->get_error_message(), $origin );
		}
		return self::interpret( (int) wp_remote_retrieve_response_code( $response ), (string) wp_remote_retrieve_body( $response ), '', $origin );
	}

	/**
	 * What an answer of the config endpoint means for the site owner.
	 *
	 * @param int    $status    HTTP status, 0 when there was no answer.
	 * @param string $body      The answer's body.
	 * @param string $error     The transport error, when there was no answer.
	 * @param string $origin    The origin that was sent.
	 * @return array Keys ok (bool), status (string), message (string).
	 */
	public static function interpret( $status, $body, $error, $origin ) {
		if ( 0 === $status ) {
			/* translators: %s: the error, e.g. "cURL error 7: Failed to connect". */
			return self::result( false, 'unreachable', sprintf( __( 'Cannot reach the Snagdesk server: %s', 'snagdesk' ), $error ) );
		}
		$data = json_decode( $body, true );
		$code = is_array( $data ) && isset( $data['code'] ) && is_string( $data['code'] ) ? $data['code'] : '';
		if ( 200 === $status && is_array( $data ) && isset( $data['appearance'] ) ) {
			return self::result( true, 'ok', __( 'Connection OK: the token is active and accepts this site.', 'snagdesk' ) );
		}
		if ( 401 === $status && 'token_invalid' === $code ) {
			return self::result( false, 'token_invalid', __( 'Snagdesk does not know this token. Check it against the token page, or create a token for this site.', 'snagdesk' ) );
		}
		if ( 401 === $status && 'token_disabled' === $code ) {
			return self::result( false, 'token_disabled', __( 'This token is disabled in Snagdesk. Enable it, or use another token.', 'snagdesk' ) );
		}
		if ( 403 === $status && 'origin_not_allowed' === $code ) {
			return self::result(
				false,
				'origin_not_allowed',
				/* translators: %s: this site's origin, such as https://shop.example */
				sprintf( __( 'This site\'s origin is not allowed for the token. In Snagdesk, add %s to the token\'s allowed origins.', 'snagdesk' ), $origin )
			);
		}
		if ( 429 === $status ) {
			return self::result( false, 'throttled', __( 'Snagdesk is rate limiting this server. Try again in a minute.', 'snagdesk' ) );
		}
		return self::result(
			false,
			'unexpected',
			/* translators: 1: HTTP status code, 2: error code or "-". */
			sprintf( __( 'Unexpected answer from the server (HTTP %1$d, %2$s). Is the URL the address of a Snagdesk?', 'snagdesk' ), $status, '' !== $code ? $code : '-' )
		);
	}

	/**
	 * A result array.
	 *
	 * @param bool   $ok      Whether the connection works.
	 * @param string $status  A machine-readable status.
	 * @param string $message For the site owner.
	 * @return array
	 */
	private static function result( $ok, $status, $message ) {
		return array(
			'ok'      => $ok,
			'status'  => $status,
			'message' => $message,
		);
	}
}
