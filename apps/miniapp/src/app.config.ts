export default defineAppConfig({
  pages: ['pages/catalog/index', 'pages/cart/index', 'pages/result/index', 'pages/orders/index', 'pages/order/index'],
  window: {
    navigationBarTitleText: '电器商城',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'light',
  },
});
