import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client, type S3Options } from '@mlactions/store';
import type { ServingLocation } from './serving-location.ts';

/** Files as objects under an S3 prefix (credentials from the AWS SDK's default chain). */
export class S3Location implements ServingLocation {
  readonly uri: string;
  private readonly bucket: string;
  /** Ends in `/`. */
  private readonly prefix: string;
  private readonly s3: S3Options;
  private client: S3Client | undefined;

  constructor(settings: { bucket: string; prefix: string; uri: string; s3?: S3Options | undefined }) {
    this.uri = settings.uri;
    this.bucket = settings.bucket;
    this.prefix = settings.prefix;
    this.s3 = settings.s3 ?? {};
  }

  /** Made on first use, so opening a location contacts nothing. */
  private get sdk(): S3Client {
    this.client ??= createS3Client(this.s3);
    return this.client;
  }

  async list(): Promise<string[]> {
    const paths: string[] = [];
    const pages = paginateListObjectsV2({ client: this.sdk }, { Bucket: this.bucket, Prefix: this.prefix });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key) paths.push(object.Key.slice(this.prefix.length));
      }
    }
    return paths.sort();
  }

  async download(path: string, file: string): Promise<void> {
    const { Body } = await this.sdk.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + path }),
    );
    await pipeline(Body as Readable, createWriteStream(file));
  }

  async upload(file: string, path: string): Promise<void> {
    await new Upload({
      client: this.sdk,
      params: { Bucket: this.bucket, Key: this.prefix + path, Body: createReadStream(file) },
    }).done();
  }

  async remove(path: string): Promise<void> {
    await this.sdk.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + path }));
  }
}
