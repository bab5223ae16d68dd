// Every page of the explorer: importing a page module defines its route and its element.
// The navigation lists pages in this order.
import './search-page.js';
