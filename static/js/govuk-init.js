// Start GOV.UK Frontend's components (skip link, error summary, buttons ...).
import { initAll } from "../vendor/govuk-frontend.min.js";
initAll();
