// Express 5 is installed under the alias "express5" beside Express 4; the calls used here have
// the same types in both.
declare module "express5" {
  import express = require("express");
  export = express;
}
