export default defineAppConfig({
  pages: ['pages/catalog/index', 'pages/cart/index', 'pages/result/index', 'pages/orders/index'],
  // Loaded on first visit, so the main package (everything the checkout needs) stays small.
  subPackages: [{ root: 'subpackages/order', pages: ['index'] }],
  window: {
    navigationBarTitleText: '电器商城',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'light',
  },
});
