<?php
/**
 * The settings page (Settings → Snagdesk), through the Settings API.
 *
 * @package Snagdesk
 */

namespace Snagdesk;

defined( 'ABSPATH' ) || exit;

/**
 * Options, their sanitizing and the settings page.
 */
final class Settings {

	const GROUP      = 'snagdesk';
	const PAGE       = 'snagdesk';
	const CAPABILITY = 'manage_options';

	const URL        = 'snagdesk_url';
	const TOKEN      = 'snagdesk_token';
	const VISIBILITY = 'snagdesk_visibility';
	const ROLES      = 'snagdesk_roles';
	const USERS      = 'snagdesk_users';
	const LOCATIONS  = 'snagdesk_locations';

	const TOKEN_PATTERN = '/^wt_[A-Za-z0-9_-]{24}\z/';

	/**
	 * Every option the plugin stores (uninstall.php deletes them).
	 *
	 * @return string[]
	 */
	public static function option_names() {
		return array( self::URL, self::TOKEN, self::VISIBILITY, self::ROLES, self::USERS, self::LOCATIONS );
	}

	/**
	 * Hooks the settings page in.
	 */
	public static function register_hooks() {
		add_action( 'admin_init', array( __CLASS__, 'register' ) );
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'enqueue_assets' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( SNAGDESK_FILE ), array( __CLASS__, 'action_links' ) );
	}

	/**
	 * The saved rules, in the shape Visibility::should_load() takes.
	 *
	 * @return array
	 */
	public static function rules() {
		return array(
			'url'        => (string) get_option( self::URL, '' ),
			'token'      => (string) get_option( self::TOKEN, '' ),
			'visibility' => (string) get_option( self::VISIBILITY, Visibility::EVERYONE ),
			'roles'      => (array) get_option( self::ROLES, array() ),
			'users'      => (array) get_option( self::USERS, array() ),
			'locations'  => (array) get_option( self::LOCATIONS, array( Visibility::FRONT ) ),
		);
	}

	/**
	 * A Snagdesk address as stored: http(s), a host, no query, fragment or credentials,
	 * without the trailing slash. A pasted loader URL (".../widget/v1/loader.js") or
	 * ".../widget/v1/" gives the address before it, as the Joomla plugin does: the loader's
	 * path is added to what is stored. Empty string when it is not one.
	 *
	 * @param mixed $value What was typed.
	 * @return string
	 */
	public static function normalize_url( $value ) {
		if ( ! is_string( $value ) ) {
			return '';
		}
		$value = trim( $value );
		if ( '' === $value || preg_match( '/[\s<>"\'\\\\]/', $value ) ) {
			return '';
		}
		$value = preg_replace( '#/widget/v1(/loader\.js)?/?\z#', '', $value );
		$parts = wp_parse_url( $value );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return '';
		}
		if ( ! in_array( strtolower( $parts['scheme'] ), array( 'http', 'https' ), true ) ) {
			return '';
		}
		if ( isset( $parts['query'] ) || isset( $parts['fragment'] ) || isset( $parts['user'] ) || isset( $parts['pass'] ) ) {
			return '';
		}
		return rtrim( $value, '/' );
	}

	/**
	 * Whether a value is a widget token key: "wt_" and 24 URL-safe characters.
	 *
	 * @param mixed $value What was typed.
	 * @return bool
	 */
	public static function is_valid_token( $value ) {
		return is_string( $value ) && 1 === preg_match( self::TOKEN_PATTERN, $value );
	}

	/**
	 * The loader's address on a Snagdesk.
	 *
	 * @param string $url The stored Snagdesk address.
	 * @return string
	 */
	public static function loader_url( $url ) {
		return $url . '/widget/v1/loader.js';
	}

	/**
	 * Registers the options, the section and the fields.
	 */
	public static function register() {
		register_setting(
			self::GROUP,
			self::URL,
			array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => array( __CLASS__, 'sanitize_url' ),
			)
		);
		register_setting(
			self::GROUP,
			self::TOKEN,
			array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => array( __CLASS__, 'sanitize_token' ),
			)
		);
		register_setting(
			self::GROUP,
			self::VISIBILITY,
			array(
				'type'              => 'string',
				'default'           => Visibility::EVERYONE,
				'sanitize_callback' => array( __CLASS__, 'sanitize_visibility' ),
			)
		);
		register_setting(
			self::GROUP,
			self::ROLES,
			array(
				'type'              => 'array',
				'default'           => array(),
				'sanitize_callback' => array( __CLASS__, 'sanitize_roles' ),
			)
		);
		register_setting(
			self::GROUP,
			self::USERS,
			array(
				'type'              => 'array',
				'default'           => array(),
				'sanitize_callback' => array( __CLASS__, 'sanitize_users' ),
			)
		);
		register_setting(
			self::GROUP,
			self::LOCATIONS,
			array(
				'type'              => 'array',
				'default'           => array( Visibility::FRONT ),
				'sanitize_callback' => array( __CLASS__, 'sanitize_locations' ),
			)
		);

		add_settings_section( 'snagdesk_connection', __( 'Connection', 'snagdesk' ), array( __CLASS__, 'render_connection_section' ), self::PAGE );
		add_settings_field(
			self::URL,
			__( 'Snagdesk URL', 'snagdesk' ),
			array( __CLASS__, 'render_url_field' ),
			self::PAGE,
			'snagdesk_connection',
			array( 'label_for' => self::URL )
		);
		add_settings_field(
			self::TOKEN,
			__( 'Widget token', 'snagdesk' ),
			array( __CLASS__, 'render_token_field' ),
			self::PAGE,
			'snagdesk_connection',
			array( 'label_for' => self::TOKEN )
		);

		add_settings_section( 'snagdesk_visibility', __( 'Who sees the widget, and where', 'snagdesk' ), '__return_false', self::PAGE );
		add_settings_field( self::VISIBILITY, __( 'Show the widget to', 'snagdesk' ), array( __CLASS__, 'render_visibility_field' ), self::PAGE, 'snagdesk_visibility' );
		add_settings_field( self::ROLES, __( 'Roles', 'snagdesk' ), array( __CLASS__, 'render_roles_field' ), self::PAGE, 'snagdesk_visibility' );
		add_settings_field(
			self::USERS,
			__( 'Users', 'snagdesk' ),
			array( __CLASS__, 'render_users_field' ),
			self::PAGE,
			'snagdesk_visibility',
			array( 'label_for' => self::USERS )
		);
		add_settings_field( self::LOCATIONS, __( 'Show the widget on', 'snagdesk' ), array( __CLASS__, 'render_locations_field' ), self::PAGE, 'snagdesk_visibility' );
	}

	/**
	 * Adds a settings error once (WordPress may sanitize the same value twice when an option is first added).
	 *
	 * @param string $setting The option.
	 * @param string $code    The error code.
	 * @param string $message The message, plain text.
	 */
	private static function error( $setting, $code, $message ) {
		foreach ( get_settings_errors( $setting ) as $existing ) {
			if ( $existing['code'] === $code ) {
				return;
			}
		}
		add_settings_error( $setting, $code, esc_html( $message ), 'error' );
	}

	/**
	 * Sanitizes the Snagdesk URL; a bad one is refused and the saved one kept.
	 *
	 * @param mixed $value The submitted value.
	 * @return string
	 */
	public static function sanitize_url( $value ) {
		if ( null === $value || '' === trim( (string) $value ) ) {
			return '';
		}
		$url = self::normalize_url( $value );
		if ( '' === $url ) {
			self::error( self::URL, 'snagdesk_url_invalid', __( 'The Snagdesk URL must be an http:// or https:// address such as https://desk.example.com. The previous value was kept.', 'snagdesk' ) );
			return (string) get_option( self::URL, '' );
		}
		return $url;
	}

	/**
	 * Sanitizes the widget token; a bad one is refused and the saved one kept.
	 *
	 * @param mixed $value The submitted value.
	 * @return string
	 */
	public static function sanitize_token( $value ) {
		$value = trim( (string) $value );
		if ( '' === $value ) {
			return '';
		}
		if ( ! self::is_valid_token( $value ) ) {
			self::error( self::TOKEN, 'snagdesk_token_invalid', __( 'The widget token must be "wt_" followed by 24 letters, digits, "-" or "_", as shown on the token page in Snagdesk. The previous value was kept.', 'snagdesk' ) );
			return (string) get_option( self::TOKEN, '' );
		}
		return $value;
	}

	/**
	 * Sanitizes the visibility mode.
	 *
	 * @param mixed $value The submitted value.
	 * @return string
	 */
	public static function sanitize_visibility( $value ) {
		if ( ! is_string( $value ) || ! in_array( $value, Visibility::modes(), true ) ) {
			self::error( self::VISIBILITY, 'snagdesk_visibility_invalid', __( 'Unknown visibility choice. The previous value was kept.', 'snagdesk' ) );
			return (string) get_option( self::VISIBILITY, Visibility::EVERYONE );
		}
		if ( Visibility::ROLES === $value && array() === self::known_roles( self::submitted( self::ROLES ) ) ) {
			self::error( self::VISIBILITY, 'snagdesk_visibility_no_role', __( '"Users with one of the roles below" needs at least one role ticked: with none, no one would see the widget. The previous choice was kept.', 'snagdesk' ) );
			return (string) get_option( self::VISIBILITY, Visibility::EVERYONE );
		}
		if ( Visibility::USERS === $value && array() === self::user_items( self::submitted( self::USERS ) ) ) {
			self::error( self::VISIBILITY, 'snagdesk_visibility_no_user', __( '"The users listed below" needs at least one user in the list: with none, no one would see the widget. The previous choice was kept.', 'snagdesk' ) );
			return (string) get_option( self::VISIBILITY, Visibility::EVERYONE );
		}
		return $value;
	}

	/**
	 * Another option of this form as it is being saved: the submitted value while options.php
	 * saves the settings page (each option is sanitized alone, so a rule that spans two
	 * options reads the other one here), the stored value when code calls update_option().
	 *
	 * @param string $option The option.
	 * @return mixed
	 */
	private static function submitted( $option ) {
		// phpcs:disable WordPress.Security.NonceVerification.Missing,WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- options.php checked the nonce; the caller sanitizes.
		if ( isset( $_POST['option_page'] ) && self::GROUP === $_POST['option_page'] ) {
			return isset( $_POST[ $option ] ) ? wp_unslash( $_POST[ $option ] ) : null;
		}
		// phpcs:enable
		return get_option( $option );
	}

	/**
	 * The role slugs of a value that exist.
	 *
	 * @param mixed $value A list of role slugs.
	 * @return string[]
	 */
	private static function known_roles( $value ) {
		if ( ! is_array( $value ) ) {
			return array();
		}
		$known = array_keys( wp_roles()->get_names() );
		return array_values( array_intersect( $known, array_map( 'strval', $value ) ) );
	}

	/**
	 * The entries of a users list: a comma-separated string, or already an array of IDs.
	 *
	 * @param mixed $value The list.
	 * @return string[]
	 */
	private static function user_items( $value ) {
		$items = is_array( $value ) ? $value : preg_split( '/[\s,]+/', (string) $value, -1, PREG_SPLIT_NO_EMPTY );
		return array_values( array_filter( array_map( 'trim', array_map( 'strval', $items ) ), 'strlen' ) );
	}

	/**
	 * Keeps the role slugs that exist. With none while "Users with one of the roles below" is
	 * being saved, the saved roles are kept: the visibility's error says why.
	 *
	 * @param mixed $value The submitted value.
	 * @return string[]
	 */
	public static function sanitize_roles( $value ) {
		$roles = self::known_roles( $value );
		if ( array() === $roles && Visibility::ROLES === self::submitted( self::VISIBILITY ) ) {
			return array_values( (array) get_option( self::ROLES, array() ) );
		}
		return $roles;
	}

	/**
	 * Turns a comma-separated list of logins, e-mail addresses or IDs into user IDs.
	 * When one of them is unknown the list is refused and the saved one kept; so is an empty
	 * list while "The users listed below" is being saved (the visibility's error says why).
	 *
	 * @param mixed $value The submitted value (a string, or already an array of IDs).
	 * @return int[]
	 */
	public static function sanitize_users( $value ) {
		$items = self::user_items( $value );
		if ( array() === $items && Visibility::USERS === self::submitted( self::VISIBILITY ) ) {
			return array_map( 'intval', (array) get_option( self::USERS, array() ) );
		}
		$ids     = array();
		$unknown = array();
		foreach ( $items as $item ) {
			$user = false;
			if ( ctype_digit( $item ) ) {
				$user = get_user_by( 'id', (int) $item );
			}
			if ( ! $user ) {
				$user = get_user_by( 'login', $item );
			}
			if ( ! $user && is_email( $item ) ) {
				$user = get_user_by( 'email', $item );
			}
			if ( $user ) {
				$ids[] = (int) $user->ID;
			} else {
				$unknown[] = $item;
			}
		}
		if ( $unknown ) {
			self::error(
				self::USERS,
				'snagdesk_users_unknown',
				sprintf(
					/* translators: %s: the logins, e-mail addresses or IDs that match no user, comma-separated. */
					_n( 'No user has the login, e-mail address or ID %s. The previous list was kept.', 'No users have the logins, e-mail addresses or IDs %s. The previous list was kept.', count( $unknown ), 'snagdesk' ),
					implode( ', ', $unknown )
				)
			);
			return array_map( 'intval', (array) get_option( self::USERS, array() ) );
		}
		return array_values( array_unique( $ids ) );
	}

	/**
	 * Keeps the known locations.
	 *
	 * @param mixed $value The submitted value.
	 * @return string[]
	 */
	public static function sanitize_locations( $value ) {
		if ( ! is_array( $value ) ) {
			return array();
		}
		return array_values( array_intersect( Visibility::locations(), array_map( 'strval', $value ) ) );
	}

	/**
	 * Adds Settings → Snagdesk.
	 */
	public static function add_page() {
		add_options_page( __( 'Snagdesk', 'snagdesk' ), __( 'Snagdesk', 'snagdesk' ), self::CAPABILITY, self::PAGE, array( __CLASS__, 'render_page' ) );
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param string[] $links The plugin's action links.
	 * @return string[]
	 */
	public static function action_links( $links ) {
		$url = admin_url( 'options-general.php?page=' . self::PAGE );
		array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'snagdesk' ) . '</a>' );
		return $links;
	}

	/**
	 * The test-connection script, on the settings page only.
	 *
	 * @param string $hook_suffix The admin page.
	 */
	public static function enqueue_assets( $hook_suffix ) {
		if ( 'settings_page_' . self::PAGE !== $hook_suffix ) {
			return;
		}
		wp_enqueue_script( 'snagdesk-admin', plugins_url( 'assets/admin.js', SNAGDESK_FILE ), array(), SNAGDESK_VERSION, true );
		wp_localize_script(
			'snagdesk-admin',
			'snagdeskAdmin',
			array(
				'ajaxUrl' => admin_url( 'admin-ajax.php' ),
				'action'  => Connection::AJAX_ACTION,
				'nonce'   => wp_create_nonce( Connection::AJAX_ACTION ),
				'testing' => __( 'Testing...', 'snagdesk' ),
				'failed'  => __( 'The test could not be run: WordPress did not answer.', 'snagdesk' ),
			)
		);
	}

	/**
	 * The settings page.
	 */
	public static function render_page() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		?>
		<div class="wrap">
			<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
			<form action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>" method="post">
				<?php
				settings_fields( self::GROUP );
				do_settings_sections( self::PAGE );
				submit_button();
				?>
			</form>
			<h2><?php esc_html_e( 'Test connection', 'snagdesk' ); ?></h2>
			<p><?php esc_html_e( 'Checks the URL and token typed above against your Snagdesk, as this site would use them. Nothing is saved.', 'snagdesk' ); ?></p>
			<p><button type="button" class="button" id="snagdesk-test-connection"><?php esc_html_e( 'Test connection', 'snagdesk' ); ?></button></p>
			<div id="snagdesk-test-result" role="status" aria-live="polite"></div>
		</div>
		<?php
	}

	/**
	 * The connection section's introduction.
	 */
	public static function render_connection_section() {
		echo '<p>' . esc_html__( 'In Snagdesk, open Support > Website support and create a token for this site; its page shows the snippet with the URL and the token.', 'snagdesk' ) . '</p>';
		echo '<p>' . sprintf(
			/* translators: %s: this site's origin, such as https://shop.example */
			esc_html__( 'The token\'s allowed origins must include %s.', 'snagdesk' ),
			'<code>' . esc_html( Connection::origin_of( home_url() ) ) . '</code>'
		) . '</p>';
	}

	/**
	 * The URL field.
	 */
	public static function render_url_field() {
		printf(
			'<input type="url" class="regular-text code" id="%1$s" name="%1$s" value="%2$s" placeholder="https://desk.example.com" />',
			esc_attr( self::URL ),
			esc_attr( (string) get_option( self::URL, '' ) )
		);
		echo '<p class="description">' . esc_html__( 'The address of your Snagdesk, without a trailing slash.', 'snagdesk' ) . '</p>';
	}

	/**
	 * The token field.
	 */
	public static function render_token_field() {
		printf(
			'<input type="text" class="regular-text code" id="%1$s" name="%1$s" value="%2$s" placeholder="wt_…" autocomplete="off" spellcheck="false" />',
			esc_attr( self::TOKEN ),
			esc_attr( (string) get_option( self::TOKEN, '' ) )
		);
		echo '<p class="description">' . esc_html__( 'The data-token value of the snippet: "wt_" and 24 characters. It is public: it is printed in your pages.', 'snagdesk' ) . '</p>';
	}

	/**
	 * The visibility radio buttons.
	 */
	public static function render_visibility_field() {
		$current = (string) get_option( self::VISIBILITY, Visibility::EVERYONE );
		$labels  = array(
			Visibility::EVERYONE  => __( 'Everyone, including visitors who are not logged in', 'snagdesk' ),
			Visibility::LOGGED_IN => __( 'Logged-in users only', 'snagdesk' ),
			Visibility::ROLES     => __( 'Users with one of the roles below', 'snagdesk' ),
			Visibility::USERS     => __( 'The users listed below', 'snagdesk' ),
		);
		echo '<fieldset><legend class="screen-reader-text">' . esc_html__( 'Show the widget to', 'snagdesk' ) . '</legend>';
		foreach ( $labels as $value => $label ) {
			printf(
				'<label><input type="radio" name="%1$s" value="%2$s"%3$s /> %4$s</label><br />',
				esc_attr( self::VISIBILITY ),
				esc_attr( $value ),
				checked( $current, $value, false ),
				esc_html( $label )
			);
		}
		echo '</fieldset>';
	}

	/**
	 * One checkbox per role.
	 */
	public static function render_roles_field() {
		$current = (array) get_option( self::ROLES, array() );
		echo '<fieldset><legend class="screen-reader-text">' . esc_html__( 'Roles', 'snagdesk' ) . '</legend>';
		foreach ( wp_roles()->get_names() as $role => $name ) {
			printf(
				'<label><input type="checkbox" name="%1$s[]" value="%2$s"%3$s /> %4$s</label><br />',
				esc_attr( self::ROLES ),
				esc_attr( $role ),
				checked( in_array( $role, $current, true ), true, false ),
				esc_html( translate_user_role( $name ) )
			);
		}
		echo '<p class="description">' . esc_html__( 'Used when "Users with one of the roles below" is chosen.', 'snagdesk' ) . '</p></fieldset>';
	}

	/**
	 * The users list, shown as logins.
	 */
	public static function render_users_field() {
		$logins = array();
		foreach ( (array) get_option( self::USERS, array() ) as $id ) {
			$user = get_user_by( 'id', (int) $id );
			if ( $user ) {
				$logins[] = $user->user_login;
			}
		}
		printf(
			'<input type="text" class="regular-text" id="%1$s" name="%1$s" value="%2$s" />',
			esc_attr( self::USERS ),
			esc_attr( implode( ', ', $logins ) )
		);
		echo '<p class="description">' . esc_html__( 'Logins, e-mail addresses or user IDs, separated by commas. Used when "The users listed below" is chosen.', 'snagdesk' ) . '</p>';
	}

	/**
	 * Front end / admin area checkboxes.
	 */
	public static function render_locations_field() {
		$current = (array) get_option( self::LOCATIONS, array( Visibility::FRONT ) );
		$labels  = array(
			Visibility::FRONT => __( 'The site (front end)', 'snagdesk' ),
			Visibility::ADMIN => __( 'The admin area (wp-admin)', 'snagdesk' ),
		);
		echo '<fieldset><legend class="screen-reader-text">' . esc_html__( 'Show the widget on', 'snagdesk' ) . '</legend>';
		foreach ( $labels as $value => $label ) {
			printf(
				'<label><input type="checkbox" name="%1$s[]" value="%2$s"%3$s /> %4$s</label><br />',
				esc_attr( self::LOCATIONS ),
				esc_attr( $value ),
				checked( in_array( $value, $current, true ), true, false ),
				esc_html( $label )
			);
		}
		echo '</fieldset>';
	}
}
