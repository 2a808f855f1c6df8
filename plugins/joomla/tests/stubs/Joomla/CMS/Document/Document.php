<?php

declare(strict_types=1);

namespace Joomla\CMS\Document;

use Joomla\CMS\WebAsset\WebAssetManager;

/** Any document; only HtmlDocument is one the plugin writes to. */
class Document
{
    private WebAssetManager $webAssetManager;

    public function __construct()
    {
        $this->webAssetManager = new WebAssetManager();
    }

    public function getWebAssetManager()
    {
        return $this->webAssetManager;
    }
}
