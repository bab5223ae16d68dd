// Every page of the explorer: importing a page module defines its route and its element.
// The navigation lists pages in this order.
import './search-page.js';
import './findings-page.js';
import './changes-page.js';
import './resource-page.js';
