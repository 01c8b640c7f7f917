// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
// Without targets the preset compiles to ES5 for iOS 9 (regenerator, class and spread helpers in
// every bundle). WeChat's JS engines: JavaScriptCore on iOS (WeChat 8 needs iOS 12+; we keep 11)
// and a current V8 on Android. ES2017 is native on both; ?. and ?? (ES2020) are still compiled
// away, and project.config.json's es6 setting stays on as a second net.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', targets: { ios: '11', chrome: '61' } }]],
};
