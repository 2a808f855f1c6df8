<?php

declare(strict_types=1);

namespace Joomla\CMS\Document;

class JsonDocument extends Document
{
}
