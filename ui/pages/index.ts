// Every page of the explorer: importing a page module defines its route and its element.
// The navigation lists the pages that name a `nav` label, in this order.
import './search-page.js';
import './identity-page.js';
import './path-page.js';
import './findings-page.js';
import './changes-page.js';
import './resource-page.js';
