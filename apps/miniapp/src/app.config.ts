export default defineAppConfig({
  pages: ['pages/catalog/index', 'pages/cart/index'],
  // Loaded on first visit, so the main package (everything the checkout needs) stays small:
  // the payment result, the order history, and one order's detail with its refunds.
  subPackages: [
    { root: 'subpackages/result', pages: ['index'] },
    { root: 'subpackages/orders', pages: ['index'] },
    { root: 'subpackages/order', pages: ['index'] },
  ],
  // Fetched in the background once the buyer is on a page that links there.
  preloadRule: {
    'pages/catalog/index': { network: 'all', packages: ['subpackages/orders'] },
    // The result page must be there the moment the payment sheet closes.
    'pages/cart/index': { network: 'all', packages: ['subpackages/result'] },
    'subpackages/result/index': { network: 'all', packages: ['subpackages/order'] },
  },
  window: {
    navigationBarTitleText: '电器商城',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'light',
  },
});
