export default definePageConfig({ navigationBarTitleText: '电器商城', enablePullDownRefresh: false });
