/**
 * Settings → Snagdesk: the "Test connection" button.
 *
 * @package Snagdesk
 */
( function () {
	'use strict';

	var button = document.getElementById( 'snagdesk-test-connection' );
	var output = document.getElementById( 'snagdesk-test-result' );
	var config = window.snagdeskAdmin;
	if ( ! button || ! output || ! config ) {
		return;
	}

	function show( ok, message ) {
		var paragraph = document.createElement( 'p' );
		paragraph.textContent = message;
		output.className = 'notice inline ' + ( ok ? 'notice-success' : 'notice-error' );
		output.replaceChildren( paragraph );
	}

	function field( id ) {
		var input = document.getElementById( id );
		return input ? input.value : '';
	}

	button.addEventListener( 'click', function () {
		var body = new FormData();
		body.append( 'action', config.action );
		body.append( 'nonce', config.nonce );
		body.append( 'url', field( 'snagdesk_url' ) );
		body.append( 'token', field( 'snagdesk_token' ) );
		button.disabled = true;
		output.className = '';
		output.textContent = config.testing;
		window
			.fetch( config.ajaxUrl, { method: 'POST', body: body, credentials: 'same-origin' } )
			.then( function ( response ) {
				return response.json();
			} )
			.then( function ( result ) {
				show( !! result.ok, String( result.message ) );
			} )
			.catch( function () {
				show( false, config.failed );
			} )
			.then( function () {
				button.disabled = false;
			} );
	} );
}() );
