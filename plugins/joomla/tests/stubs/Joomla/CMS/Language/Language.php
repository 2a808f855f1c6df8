<?php

declare(strict_types=1);

namespace Joomla\CMS\Language;

class Language
{
    public function __construct(private string $tag = 'en-GB')
    {
    }

    public function getTag()
    {
        return $this->tag;
    }
}
