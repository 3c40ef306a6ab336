// Caseroom's own script. Pages work without it; it only adds conveniences.
"use strict";
