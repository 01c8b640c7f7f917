import type { Product } from '@checkout/protocol/contract';
import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { resolveImageUrl } from '../resolve-image-url';
import { getAppServices } from '../services/app-services';

function apiBaseUrl(): string | null {
  try {
    return getAppServices().config.apiBaseUrl;
  } catch {
    return null; // a bad configuration is the page's error to show, not a reason to break a tile
  }
}

/** The product's picture, or a tile with its first character when it has none or it fails to load. */
export function ProductImage({ product, className }: { product: Pick<Product, 'name' | 'imageUrl'>; className: string }) {
  const base = apiBaseUrl();
  const src = base === null ? null : resolveImageUrl(product.imageUrl, base);
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  if (src && src !== failedSrc) return <Image className={className} src={src} mode='aspectFill' onError={() => setFailedSrc(src)} />;
  return (
    <View className={`${className} product__image--placeholder`} aria-hidden='true'>
      <Text>{product.name.slice(0, 1)}</Text>
    </View>
  );
}
