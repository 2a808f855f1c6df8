<?php
/**
 * Silence is golden.
 *
 * @package Snagdesk
 */
